import Foundation
import Support

/// The faces a long photo job has found so far, one JSON line per photo, so that an interrupted run resumes
/// where it stopped (`facenet cluster --detect`). The first line holds the settings the faces were made with
/// (model fingerprint, precision, detector, crop): a journal written with other settings is not resumed but
/// started afresh, because its embeddings would not be comparable with new ones. Each later line is one
/// photo: its path, and per face its index among the photo's detections, box and embedding (Swift prints a
/// Float in its shortest round-trip form, so the embedding read back is bit-identical). A photo without a
/// face has an empty list (it is not detected again); a photo that could not be read is not written (a rerun
/// tries it again). Lines are appended a batch of photos at a time; a run killed mid-line leaves a partial
/// last line, which is cut off when the journal is opened again.
public final class PhotoFacesJournal {
    public struct Face: Codable, Sendable, Equatable {
        public var face: Int
        public var box: [Double]
        public var embedding: [Float]

        public init(face: Int, box: [Double], embedding: [Float]) {
            (self.face, self.box, self.embedding) = (face, box, embedding)
        }
    }

    public struct Photo: Codable, Sendable, Equatable {
        public var path: String
        /// The file's size and modification time when it was detected: a photo replaced since is detected again.
        public var stamp: String
        public var faces: [Face]

        public init(path: String, stamp: String, faces: [Face]) {
            (self.path, self.stamp, self.faces) = (path, stamp, faces)
        }
    }

    /// `size:seconds.nanoseconds` of the file's last modification, or "" when it cannot be read.
    public static func stamp(of file: String) -> String {
        var info = stat()
        guard stat(file, &info) == 0 else { return "" }
        return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    struct Header: Codable, Equatable {
        var journal: String
        var settings: [String: String]
    }

    static let kind = "facenet photo faces"

    public let path: String
    /// The photos found in an earlier run with the same settings, by path.
    public private(set) var photos: [String: Photo] = [:]
    /// Why an existing journal was not resumed (other settings, or not a journal), nil when it was or none existed.
    public private(set) var restartReason: String?
    private let handle: FileHandle

    /// Opens the journal at `path` for `settings`, resuming it when it was written with the same ones.
    public init(path: String, settings: [String: String]) throws {
        self.path = path
        let header = Header(journal: Self.kind, settings: settings)
        var keep = 0  // bytes of the existing file to keep: whole lines of a journal with these settings
        if let data = FileManager.default.contents(atPath: path), !data.isEmpty {
            let (found, kept, reason) = Self.read(data, expecting: header)
            photos = found
            keep = kept
            restartReason = reason
        }
        if keep == 0 {
            var first = try Self.encoder.encode(header)
            first.append(0x0A)
            guard FileManager.default.createFile(atPath: path, contents: first) else {
                throw UserError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } else {
            guard truncate(path, off_t(keep)) == 0 else {
                throw UserError("cannot truncate \(path): \(String(cString: strerror(errno)))")
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw UserError("cannot open \(path) to append: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    /// Appends the photos (one write: a line is never interleaved with another).
    public func append(_ new: [Photo]) throws {
        guard !new.isEmpty else { return }
        var data = Data()
        for photo in new {
            data += try Self.encoder.encode(photo)
            data.append(0x0A)
            photos[photo.path] = photo
        }
        do { try handle.write(contentsOf: data) } catch { throw UserError("cannot append to \(path): \(error.localizedDescription)") }
    }

    /// Detects and embeds the photos not journalled yet (`relative` gives a photo's journal path), appending
    /// them a batch at a time; the job's report for those photos (the ones that could not be read are not
    /// journalled, so a rerun tries them again). Photos without a face are journalled when the job ends (it
    /// reports them then): a run killed before looks at them again.
    public func complete(
        _ all: [String], relative: (String) -> String, faces: PhotoFacesJob.Faces, pipeline: FacePipeline, label: String,
        say: (String) -> Void
    ) throws -> PhotoFacesJob.Report {
        let stamps = Dictionary(all.map { ($0, Self.stamp(of: $0)) }, uniquingKeysWith: { a, _ in a })
        let pending = all.filter { photos[relative($0)]?.stamp != stamps[$0] }
        for photo in pending { photos[relative(photo)] = nil }  // a replaced photo's old faces are not used
        if pending.count < all.count { say("\(label): resuming \(path): \(all.count - pending.count) photos done, \(pending.count) to go") }
        guard !pending.isEmpty else { return PhotoFacesJob.Report() }
        let report = try PhotoFacesJob(photos: pending, faces: faces).runBatches(pipeline: pipeline, label: label) { batch in
            try append(
                batch.map { photo in
                    Photo(
                        path: relative(photo.path), stamp: stamps[photo.path] ?? "",
                        faces: photo.faces.indices.map { k in
                            let b = photo.faces[k].box
                            return Face(
                                face: photo.detectionIndices[k], box: [b.x1, b.y1, b.x2, b.y2].map(Double.init),
                                embedding: photo.embeddings[k])
                        })
                })
        }
        try append(report.withoutFace.map { Photo(path: relative($0), stamp: stamps[$0] ?? "", faces: []) })
        return report
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The photos of a journal with `header`, and how many bytes of `data` are whole lines of it (0: start
    /// afresh, with the reason when the file was not such a journal).
    static func read(_ data: Data, expecting header: Header) -> (photos: [String: Photo], bytes: Int, reason: String?) {
        let decoder = JSONDecoder()
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        // The last piece is empty after a final newline, else a line the writer did not finish.
        lines.removeLast()
        guard let first = lines.first, let found = try? decoder.decode(Header.self, from: Data(first)), found.journal == kind else {
            return ([:], 0, "it is not a journal of photo faces")
        }
        guard found.settings == header.settings else {
            let changed = Set(found.settings.keys).union(header.settings.keys)
                .filter { found.settings[$0] != header.settings[$0] }.sorted()
            return ([:], 0, "it was written with other settings (\(changed.joined(separator: ", ")))")
        }
        var photos: [String: Photo] = [:]
        var bytes = first.count + 1
        for line in lines.dropFirst() {
            guard let photo = try? decoder.decode(Photo.self, from: Data(line)) else { break }
            photos[photo.path] = photo
            bytes += line.count + 1
        }
        return (photos, bytes, nil)
    }
}
