import Alignment
import Foundation
import Gallery
import Support
import Vision

/// `facenet enroll`: photos of known people into a gallery. Each photo is hashed, decoded, searched for
/// faces, gated on quality, cropped and embedded as `facenet align` + `facenet embed` would; its face is
/// committed with a few other photos' in one transaction, so a killed enroll leaves the last committed state
/// and a rerun skips what is in (a photo already enrolled for that person, by SHA-256).
public struct EnrollJob {
    /// The photos of one person.
    public struct Person: Sendable {
        public var name: String
        public var photos: [String]

        public init(name: String, photos: [String]) {
            self.name = name
            self.photos = photos
        }
    }

    public var people: [Person]
    /// Enroll the main face (largest, most central, as align keeps) of a photo with several; without it such
    /// a photo is refused, since which face is the person's cannot be known.
    public var largest = false
    /// Replace each person's earlier faces (in the same transaction as the first new ones).
    public var replace = false
    public var gate = QualityGate()
    /// Photos per transaction.
    public var commitEvery = 16

    public init(people: [Person]) {
        self.people = people
    }

    /// `root/<identity>/<image>`: one person per folder.
    public static func people(inFolder root: String) throws -> [Person] {
        try ImageFolder.scan(root: root).map { identity in
            Person(name: identity.name, photos: identity.imagePaths.map { root + "/" + $0 })
        }
    }

    public struct Report: Sendable {
        public var enrolled = 0
        public var alreadyEnrolled = 0
        /// Photos refused by the gate or for holding several faces, with the reason.
        public var rejected: [(path: String, reason: String)] = []
        /// Photos that could not be read or hold no face.
        public var failed: [(path: String, reason: String)] = []
        public var seconds = 0.0

        public var skipped: Int { rejected.count + failed.count }
    }

    public func run(pipeline: FacePipeline, gallery: GalleryDatabase, log: (String) -> Void = { print($0) }) throws -> Report {
        var report = Report()
        // Names are checked before any photo is read, so a bad one stops the job before it writes.
        let validated = try people.map { Person(name: try IdentityName.validated($0.name), photos: $0.photos) }
        let progress = Progress(label: "enroll", total: validated.reduce(0) { $0 + $1.photos.count })
        for person in validated {
            let known = replace ? [] : try gallery.enrolledPhotos(of: person.name)
            var pending: [(path: String, sha256: String, face: FoundFace)] = []
            var replacing = replace
            func commit() throws {
                guard !pending.isEmpty || replacing else { return }
                let embeddings = try pipeline.embed(pending.map(\.face.crop))
                let faces = zip(pending, embeddings).map { item, embedding in
                    NewFace(
                        embedding: embedding, sourcePath: item.path, sourceSHA256: item.sha256,
                        box: [item.face.detection.box.x1, item.face.detection.box.y1, item.face.detection.box.x2, item.face.detection.box.y2].map(Double.init),
                        landmarks: item.face.detection.landmarks.flatMap { [$0.x, $0.y] },
                        detectionScore: Double(item.face.detection.score), sharpness: item.face.sharpness)
                }
                report.enrolled += try gallery.add(faces, to: person.name, replace: replacing)
                replacing = false
                pending.removeAll()
            }
            for path in person.photos {
                defer { progress.advance() }
                let bytes: Data
                do {
                    bytes = try InputFile.data(path, what: "photo")
                } catch {
                    report.failed.append((path, "\(error)"))
                    continue
                }
                let digest = FileDigest.sha256(of: bytes)
                if known.contains(digest) || pending.contains(where: { $0.sha256 == digest }) {
                    report.alreadyEnrolled += 1
                    continue
                }
                switch try Self.face(in: bytes, path: path, pipeline: pipeline, largest: largest, gate: gate) {
                case .failure(let problem):
                    if problem.rejected { report.rejected.append((path, problem.reason)) } else { report.failed.append((path, problem.reason)) }
                    log("enroll: skipped \(path): \(problem.reason)")
                case .success(let face):
                    pending.append((path, digest, face))
                    if pending.count >= commitEvery { try commit() }
                }
            }
            try commit()
        }
        progress.finish()
        report.seconds = progress.elapsed
        return report
    }

    struct Problem: Error {
        let reason: String
        /// Refused by a rule (several faces, quality), as opposed to unreadable or faceless.
        let rejected: Bool
    }

    /// The face to enroll from one photo, or why there is none.
    static func face(in bytes: Data, path: String, pipeline: FacePipeline, largest: Bool, gate: QualityGate) throws
        -> Result<FoundFace, Problem>
    {
        let image: Image
        do {
            image = try Image.decode([UInt8](bytes), name: path)
        } catch {
            return .failure(Problem(reason: "\(error)", rejected: false))
        }
        let faces = try pipeline.faces(in: image)
        guard !faces.isEmpty else { return .failure(Problem(reason: "no face found", rejected: false)) }
        if faces.count > 1 && !largest {
            return .failure(
                Problem(reason: "\(faces.count) faces found: pass --largest to enroll the largest, most central one", rejected: true))
        }
        let face = faces[FaceChoice.pick(faces.map(\.detection), imageWidth: image.width, imageHeight: image.height)!]
        if let reason = gate.rejection(face) { return .failure(Problem(reason: reason, rejected: true)) }
        return .success(face)
    }
}
