import CVision
import Foundation
import Support

/// A video file written through OpenCV's FFmpeg writer. The file is written to an `AtomicFile` temporary
/// beside the destination (keeping the extension, by which FFmpeg picks the container) and renamed by
/// `finish()`, so an interrupted run never leaves a half-written video under the requested name.
public final class VideoWriter {
    public let path: String
    public let width: Int
    public let height: Int
    private var handle: OpaquePointer?
    private let temporary: String

    /// Opens `path` for frames of `width` x `height` at `frameRate`. The codec follows the extension: MPEG-4
    /// Part 2 ("mp4v") for .mp4, .m4v and .mov, Motion JPEG ("MJPG") for .avi (both encoders FFmpeg always has).
    public init(path: String, width: Int, height: Int, frameRate: Double) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let codec = Self.codecs[ext] else {
            throw UserError("\(path): video extension '.\(ext)' is not one of \(Self.codecs.keys.sorted().map { "." + $0 }.joined(separator: ", "))")
        }
        self.path = path
        self.width = width
        self.height = height
        let folder = (path as NSString).deletingLastPathComponent
        AtomicFile.removeStaleTemporaries(in: folder.isEmpty ? "." : folder, targets: [(path as NSString).lastPathComponent])
        temporary = AtomicFile.temporaryPath(for: path, keepingExtension: true)
        var handle: OpaquePointer?
        guard cv_video_writer_open(&handle, temporary, codec, frameRate, Int32(width), Int32(height)) == 0, let handle else {
            throw UserError("\(path): cannot be written as a video: \(String(cString: cv_last_error()))")
        }
        self.handle = handle
    }

    static let codecs = ["mp4": "mp4v", "m4v": "mp4v", "mov": "mp4v", "avi": "MJPG"]

    deinit {
        if let handle {
            _ = cv_video_writer_close(handle)
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    /// Appends a frame (the writer's size).
    public func write(_ frame: Image) throws {
        guard let handle else { throw UserError("\(path): the video is already finished") }
        guard frame.width == width && frame.height == height else {
            throw UserError("\(path): a \(frame.width)x\(frame.height) frame in a \(width)x\(height) video")
        }
        let status = frame.pixels.withUnsafeBufferPointer { cv_video_write(handle, $0.baseAddress, Int32(width), Int32(height)) }
        guard status == 0 else { throw UserError("\(path): frame cannot be written: \(String(cString: cv_last_error()))") }
    }

    /// Completes the file and moves it to `path`.
    public func finish() throws {
        guard let handle else { return }
        self.handle = nil
        guard cv_video_writer_close(handle) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw UserError("\(path): the video cannot be finished: \(String(cString: cv_last_error()))")
        }
        try AtomicFile.commit(temporary: temporary, to: path)
    }
}
