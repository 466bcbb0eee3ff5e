import Alignment
import Foundation
import Support
import Vision

/// One face of a probe photo with its decision.
public struct Identification: Sendable {
    public let path: String
    public let face: DetectedFace
    public let decision: OpenSetDecision
    /// The nearest identities, nearest first (`top_k` of them).
    public let candidates: [Candidate]
}

/// `facenet identify`: every face of every photo, embedded in batches across photos and searched together
/// against the gallery; each face gets the nearest identity's name or `unknown` (docs/recognition.md).
public struct IdentifyJob {
    public var photos: [String]
    public var rule: MatchRule = .mean
    public var threshold: ThresholdInUse
    public var topK = 3
    /// Photos detected and embedded together; a batch is also closed when its photos hold `batchPixels`.
    public var photosPerBatch = 8
    public var batchPixels = 4_000_000
    /// Where to write each photo with boxes and names drawn (`<stem>.jpg`), or nil.
    public var annotateDirectory: String?

    public init(photos: [String], threshold: ThresholdInUse) {
        self.photos = photos
        self.threshold = threshold
    }

    public struct Report: Sendable {
        public var photos = 0
        public var faces = 0
        public var known = 0
        public var withoutFace: [String] = []
        public var failed: [(path: String, reason: String)] = []
        public var seconds = 0.0
    }

    /// Runs the photos; `emit` receives each face's result as soon as its batch is searched.
    public func run(
        pipeline: FacePipeline, index: any FaceSearch, emit: (Identification) throws -> Void,
        log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) throws -> Report {
        var report = Report()
        let progress = Progress(label: "identify", total: photos.count)
        let annotations = try annotateDirectory.map { try AnnotationWriter(directory: $0) }
        let loader = pipeline.load(photos, depth: 2 * photosPerBatch)
        var remaining = photos.count
        while remaining > 0 {
            var batch: [(path: String, image: Image, prepared: PreparedImage)] = []
            var pixels = 0
            while batch.count < photosPerBatch && pixels < batchPixels && remaining > 0, let loaded = loader.nextItem() {
                remaining -= 1
                switch loaded {
                case .ready(let path, let image, let prepared):
                    batch.append((path, image, prepared))
                    pixels += prepared.width * prepared.height
                case .failed(let path, let reason):
                    report.failed.append((path, reason))
                    log("identify: skipped \(path): \(reason)")
                    progress.advance()
                }
            }
            var found: [(path: String, image: Image, faces: [FoundFace])] = []
            for (photo, faces) in zip(batch, try pipeline.faces(in: batch.map { ($0.image, $0.prepared) })) {
                report.photos += 1
                if faces.isEmpty {
                    report.withoutFace.append(photo.path)
                    log("identify: no face in \(photo.path)")
                }
                found.append((photo.path, photo.image, faces))
                progress.advance()
            }
            let crops = found.flatMap { $0.faces.map(\.crop) }
            let embeddings = try pipeline.embed(crops)
            let searched = try index.search(embeddings, rule: rule, k: max(topK, threshold.score.candidatesNeeded))
            var row = 0
            for photo in found {
                var results: [Identification] = []
                for face in photo.faces {
                    let candidates = searched[row]
                    row += 1
                    let decision = OpenSetDecision(candidates: candidates, threshold: threshold)
                    let result = Identification(
                        path: photo.path, face: face.detection, decision: decision, candidates: Array(candidates.prefix(topK)))
                    results.append(result)
                    report.faces += 1
                    if decision.name != nil { report.known += 1 }
                    try emit(result)
                }
                try annotations?.write(photo.image, results: results, source: photo.path)
            }
        }
        progress.finish()
        report.seconds = progress.elapsed
        return report
    }
}

/// Draws boxes and names on photos for `--annotate` (green: a name, red: unknown).
struct AnnotationWriter {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ image: Image, results: [Identification], source: String) throws {
        var canvas = Canvas(image: image)
        let thickness = max(2, min(image.width, image.height) / 200)
        for result in results {
            let b = result.face.box
            let color = result.decision.name == nil ? RGB(220, 40, 40) : RGB(40, 200, 60)
            canvas.strokeRectangle(x0: Int(b.x1), y0: Int(b.y1), x1: Int(b.x2), y1: Int(b.y2), color: color, thickness: thickness)
            let label = (result.decision.name ?? "unknown") + String(format: " %.2f", result.decision.nearest?.distance ?? 0)
            canvas.text(label, x: Int(b.x1), y: max(12, Int(b.y1) - 4), scale: Double(thickness) / 3, color: color, thickness: max(1, thickness / 2))
        }
        // Photos of several folders may share a stem: the relative path's components make the name unique.
        let name = source.split(separator: "/").suffix(2).joined(separator: "_")
        let stem = (name as NSString).deletingPathExtension
        try canvas.image.writeJPEG(to: (directory as NSString).appendingPathComponent(stem + ".jpg"))
    }
}
