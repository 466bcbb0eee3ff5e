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

    public func run(pipeline: FacePipeline, gallery: any GalleryStore, log: (String) -> Void = { print($0) }) throws -> Report {
        var report = Report()
        // Names are checked before any photo is read, so a bad one stops the job before it writes.
        let validated = try people.map { Person(name: try IdentityName.validated($0.name), photos: $0.photos) }
        let items = validated.flatMap { person in person.photos.map { (name: person.name, path: $0) } }
        var known: [String: Set<String>] = [:]
        if !replace { for person in validated { known[person.name] = try gallery.enrolledPhotos(of: person.name) } }
        let progress = Progress(label: "enroll", total: items.count)
        let detector = pipeline.detector
        let knownPhotos = known
        // Read, hash and (unless already enrolled) decode and prepare ahead of the detector.
        let loader = Prefetcher<Loaded>(count: items.count, depth: 2 * detectBatch) { k in
            let (name, path) = items[k]
            do {
                let bytes = try InputFile.data(path, what: "photo")
                let digest = FileDigest.sha256(of: bytes)
                if knownPhotos[name]?.contains(digest) ?? false { return .known }
                let image = try Image.decode([UInt8](bytes), name: path)
                return .ready(digest: digest, image: image, prepared: try detector.prepare(image))
            } catch {
                return .failed(reason: "\(error)")
            }
        }

        var pending: [(path: String, sha256: String, face: FoundFace)] = []
        var pendingName: String?
        var replaced: Set<String> = []
        var seen: [String: Set<String>] = [:]  // photos of this run, so a duplicate file is enrolled once
        func commit() throws {
            guard let name = pendingName, !pending.isEmpty else { return }
            let embeddings = try pipeline.embed(pending.map(\.face.crop))
            let faces = zip(pending, embeddings).map { item, embedding in
                NewFace(item.face, embedding: embedding, sourcePath: item.path, sourceSHA256: item.sha256)
            }
            let replacing = replace && !replaced.contains(name)
            report.enrolled += try gallery.add(faces, to: name, replace: replacing)
            if replacing { replaced.insert(name) }
            pending.removeAll()
        }

        var next = 0
        while next < items.count {
            var batch: [(item: (name: String, path: String), digest: String, image: Image, prepared: PreparedImage)] = []
            while batch.count < detectBatch && next < items.count, let loaded = loader.nextItem() {
                let item = items[next]
                next += 1
                switch loaded {
                case .known:
                    report.alreadyEnrolled += 1
                    progress.advance()
                case .failed(let reason):
                    report.failed.append((item.path, reason))
                    log("enroll: skipped \(item.path): \(reason)")
                    progress.advance()
                case .ready(let digest, let image, let prepared):
                    if seen[item.name, default: []].insert(digest).inserted {
                        batch.append((item, digest, image, prepared))
                    } else {
                        report.alreadyEnrolled += 1
                        progress.advance()
                    }
                }
            }
            let found = try pipeline.faces(in: batch.map { ($0.image, $0.prepared) })
            for (photo, faces) in zip(batch, found) {
                defer { progress.advance() }
                switch Self.choose(faces, in: photo.image, largest: largest, gate: gate) {
                case .failure(let problem):
                    if problem.rejected { report.rejected.append((photo.item.path, problem.reason)) } else {
                        report.failed.append((photo.item.path, problem.reason))
                    }
                    log("enroll: skipped \(photo.item.path): \(problem.reason)")
                case .success(let face):
                    if pendingName != photo.item.name { try commit() }
                    pendingName = photo.item.name
                    pending.append((photo.item.path, photo.digest, face))
                    if pending.count >= commitEvery { try commit() }
                }
            }
        }
        try commit()
        // A person given with --replace whose photos all failed keeps their earlier faces: nothing replaced them.
        progress.finish()
        report.seconds = progress.elapsed
        return report
    }

    /// Photos per detector pass.
    var detectBatch: Int { 8 }

    enum Loaded: @unchecked Sendable {
        case known
        case failed(reason: String)
        case ready(digest: String, image: Image, prepared: PreparedImage)
    }

    public struct Problem: Error, Sendable {
        public let reason: String
        /// Refused by a rule (several faces, quality), as opposed to unreadable or faceless.
        public let rejected: Bool
    }

    /// The face to enroll among those found in one photo, or why there is none (also facenet serve's rule).
    public static func choose(_ faces: [FoundFace], in image: Image, largest: Bool, gate: QualityGate) -> Result<FoundFace, Problem> {
        guard let face = FacePipeline.mainFace(faces, in: image) else {
            return .failure(Problem(reason: "no face found", rejected: false))
        }
        if faces.count > 1 && !largest {
            return .failure(
                Problem(reason: "\(faces.count) faces found: pass --largest to enroll the largest, most central one", rejected: true))
        }
        if let reason = gate.rejection(face) { return .failure(Problem(reason: reason, rejected: true)) }
        return .success(face)
    }
}

extension NewFace {
    /// A found face with its embedding and the photo it came from, as the gallery stores it.
    public init(_ face: FoundFace, embedding: [Float], sourcePath: String, sourceSHA256: String) {
        let d = face.detection
        self.init(
            embedding: embedding, sourcePath: sourcePath, sourceSHA256: sourceSHA256,
            box: [d.box.x1, d.box.y1, d.box.x2, d.box.y2].map(Double.init), landmarks: d.landmarks.flatMap { [$0.x, $0.y] },
            detectionScore: Double(d.score), sharpness: face.sharpness)
    }
}
