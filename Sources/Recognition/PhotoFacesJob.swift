import Alignment
import Foundation
import Support
import Vision

/// A photo's faces with their embeddings, and which of them `facenet align` would keep.
public struct EmbeddedPhoto: Sendable {
    public let path: String
    public let image: Image
    /// The faces embedded: all of the photo's, or only the main one.
    public let faces: [DetectedFace]
    /// Each embedded face's index among all the faces detected in the photo (MTCNN's order).
    public let detectionIndices: [Int]
    public let embeddings: [[Float]]
    /// Index into `faces` of the largest, most central face (FacePipeline.mainFace), nil without a face.
    public let mainFace: Int?
}

/// Photos -> faces -> embeddings: read ahead on a background thread, detected several photos at a time (one
/// P-Net pass per pyramid level for photos of one size, as align does) and embedded in one batch per group;
/// for identify, calibrate and classify. Photos that cannot be read are reported, not fatal.
public struct PhotoFacesJob {
    public enum Faces: String, Sendable, CaseIterable {
        /// Every face of a photo (predict, cluster).
        case all
        /// Only the main face (train: one labelled face per photo).
        case main
    }

    public var photos: [String]
    public var faces: Faces
    /// Photos detected and embedded together; a batch is also closed when its photos hold `batchPixels`.
    public var photosPerBatch = 8
    public var batchPixels = 4_000_000

    public init(photos: [String], faces: Faces) {
        self.photos = photos
        self.faces = faces
    }

    public struct Report: Sendable {
        public var photos = 0
        public var withoutFace: [String] = []
        public var failed: [(path: String, reason: String)] = []
        public var seconds = 0.0

        public init() {}
    }

    /// Runs the photos; `emit` receives each photo with a face as soon as its batch is embedded.
    public func run(
        pipeline: FacePipeline, label: String, emit: (EmbeddedPhoto) throws -> Void,
        log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) throws -> Report {
        try runBatches(pipeline: pipeline, label: label, emit: { try $0.forEach(emit) }, log: log)
    }

    /// The same, a batch at a time (so that a search can take a batch's faces in one matrix product).
    public func runBatches(
        pipeline: FacePipeline, label: String, emit: ([EmbeddedPhoto]) throws -> Void,
        log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) throws -> Report {
        var report = Report()
        let progress = Progress(label: label, total: photos.count)
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
                    log("\(label): skipped \(path): \(reason)")
                    progress.advance()
                }
            }
            var found: [(path: String, image: Image, faces: [FoundFace], indices: [Int], main: Int?)] = []
            for (photo, all) in zip(batch, try pipeline.faces(in: batch.map { ($0.image, $0.prepared) })) {
                report.photos += 1
                progress.advance()
                let main = FaceChoice.pick(all.map(\.detection), imageWidth: photo.image.width, imageHeight: photo.image.height)
                guard let main else {
                    report.withoutFace.append(photo.path)
                    log("\(label): no face in \(photo.path)")
                    continue
                }
                switch faces {
                case .all: found.append((photo.path, photo.image, all, Array(all.indices), main))
                case .main: found.append((photo.path, photo.image, [all[main]], [main], 0))
                }
            }
            let embeddings = try pipeline.embed(found.flatMap { $0.faces.map(\.crop) })
            var row = 0
            var embedded: [EmbeddedPhoto] = []
            for photo in found {
                let count = photo.faces.count
                embedded.append(
                    EmbeddedPhoto(
                        path: photo.path, image: photo.image, faces: photo.faces.map(\.detection),
                        detectionIndices: photo.indices, embeddings: Array(embeddings[row..<row + count]), mainFace: photo.main))
                row += count
            }
            try emit(embedded)
        }
        progress.finish()
        report.seconds = progress.elapsed
        return report
    }
}
