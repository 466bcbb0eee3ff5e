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
    /// The threshold, and with it the match rule of the search.
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
        let annotations = try annotateDirectory.map { try AnnotationWriter(directory: $0) }
        var faces = PhotoFacesJob(photos: photos, faces: .all)
        faces.photosPerBatch = photosPerBatch
        faces.batchPixels = batchPixels
        let found = try faces.runBatches(pipeline: pipeline, label: "identify", emit: { batch in
            let identified = try Identification.decide(
                batch.map { ($0.path, $0.faces, $0.embeddings) }, index: index, threshold: threshold, topK: topK)
            for (photo, results) in zip(batch, identified) {
                for result in results {
                    report.faces += 1
                    if result.decision.name != nil { report.known += 1 }
                    try emit(result)
                }
                try annotations?.write(photo.image, results: results, source: photo.path)
            }
        }, log: log)
        (report.photos, report.withoutFace, report.failed, report.seconds) = (found.photos, found.withoutFace, found.failed, found.seconds)
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
            let label = (result.decision.name ?? "unknown") + String(format: " %.2f", result.decision.nearest?.distance ?? 0)
            FaceAnnotation.draw(
                result.face.box, label: label, named: result.decision.name != nil, on: &canvas, thickness: thickness,
                textScale: Double(thickness) / 3)
        }
        // Photos of several folders may share a stem: the relative path's components make the name unique.
        let name = source.split(separator: "/").suffix(2).joined(separator: "_")
        let stem = (name as NSString).deletingPathExtension
        try canvas.image.writeJPEG(to: (directory as NSString).appendingPathComponent(stem + ".jpg"))
    }
}
