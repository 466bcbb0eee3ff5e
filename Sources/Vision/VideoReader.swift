import CVision
import Foundation
import Support

/// Frames of a video file or a camera, decoded by OpenCV's videoio (FFmpeg or GStreamer) to RGB `Image`s.
/// Not thread-safe: one reader per thread.
public final class VideoReader {
    /// What the reader reads, for messages: the file's path or "camera N".
    public let source: String
    public let width: Int
    public let height: Int
    /// The frame rate the container states (0 when it states none; 25 is then assumed by `frameRate`).
    public let statedFrameRate: Double
    /// The number of frames the container states, nil for a camera or a container that states none. A
    /// truncated file may state more frames than it holds (see `framesRead`).
    public let statedFrameCount: Int?
    /// Frames returned so far.
    public private(set) var framesRead = 0
    private var handle: OpaquePointer?

    /// Opens a video file. Throws a `UserError` naming the file when it is missing or no decoder opens it.
    public convenience init(path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw UserError("\(path): no such video file")
        }
        guard !isFolder.boolValue else { throw UserError("\(path): is a folder, not a video file") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw UserError("\(path): not readable") }
        try self.init(source: path) { cv_video_open_file(&$0, &$1, &$2, &$3, &$4, path) }
    }

    /// Opens camera `index` (`/dev/video<index>` on Linux).
    public convenience init(camera index: Int) throws {
        try self.init(source: "camera \(index)") { cv_video_open_camera(&$0, &$1, &$2, &$3, &$4, Int32(index)) }
    }

    private init(
        source: String,
        open: (inout OpaquePointer?, inout Int32, inout Int32, inout Double, inout Int64) -> Int32
    ) throws {
        var handle: OpaquePointer?
        var width: Int32 = 0
        var height: Int32 = 0
        var fps = 0.0
        var frames: Int64 = -1
        guard open(&handle, &width, &height, &fps, &frames) == 0, let handle else {
            throw UserError("\(source): cannot be read as a video: \(String(cString: cv_last_error()))")
        }
        self.source = source
        self.handle = handle
        self.width = Int(width)
        self.height = Int(height)
        self.statedFrameRate = fps.isFinite && fps > 0 ? fps : 0
        self.statedFrameCount = frames >= 0 ? Int(frames) : nil
    }

    deinit { cv_video_reader_free(handle) }

    /// The frame rate used for times: the stated one, or 25 when the container states none.
    public var frameRate: Double { statedFrameRate > 0 ? statedFrameRate : 25 }

    /// The next frame, nil at the end of the stream (or where the decoder stopped on damaged data: compare
    /// `framesRead` with `statedFrameCount`).
    public func next() throws -> Image? {
        var got: Int32 = 0
        var pixels = [UInt8](repeating: 0, count: width * height * Image.channels)
        let status = pixels.withUnsafeMutableBufferPointer {
            cv_video_read(&got, $0.baseAddress, Int32(width), Int32(height), handle)
        }
        guard status == 0 else {
            throw UserError("\(source): frame \(framesRead + 1) cannot be read: \(String(cString: cv_last_error()))")
        }
        guard got != 0 else { return nil }
        framesRead += 1
        return Image(width: width, height: height, pixels: pixels)
    }
}
