import Alignment
import Embedding
import Foundation
import Support
import TorchBridge
import Vision

/// A face found in a photo, cropped as `facenet align` crops for evaluation (the box plus `margin`, resized to
/// the model's input), with the measures the enrollment gate uses.
public struct FoundFace: Sendable {
    public let detection: DetectedFace
    public let crop: Image
    /// Variance of the Laplacian of the crop: low when the face is blurred.
    public let sharpness: Double

    /// The shorter side of the detected box, in source pixels.
    public var size: Double { Double(min(detection.box.width, detection.box.height)) }
}

/// Photo -> faces -> embeddings, with `facenet align`'s detector and crop rule and `facenet embed`'s
/// batching, so that a gallery's embeddings are made exactly like the evaluated ones.
public final class FacePipeline: @unchecked Sendable {
    public let detector: MTCNNDetector
    public let embedder: Embedder
    /// Pixels added around the box before resizing (davidsandberg's evaluation crop: 32 at 160 px).
    public var margin = 32.0
    /// Faces per forward pass.
    public var batchSize = 64

    public init(detector: MTCNNDetector, embedder: Embedder) {
        self.detector = detector
        self.embedder = embedder
    }

    /// Every face MTCNN finds in `image`, highest score first (boxes whose crop holds no pixel are dropped).
    public func faces(in image: Image) throws -> [FoundFace] {
        let size = embedder.description.inputSize
        return try detector.detect(image).compactMap { face in
            guard let crop = CropRule.crop(image, box: face.box, margin: margin, imageSize: size) else { return nil }
            return FoundFace(detection: face, crop: crop, sharpness: crop.laplacianVariance)
        }
    }

    /// The face `facenet align` would keep (the largest, most central), or nil.
    public func mainFace(in image: Image) throws -> FoundFace? {
        let found = try faces(in: image)
        return FaceChoice.pick(found.map(\.detection), imageWidth: image.width, imageHeight: image.height).map { found[$0] }
    }

    /// L2-normalised embeddings of face crops (any size: conformed to the model's input), `batchSize` at a time.
    public func embed(_ crops: [Image]) throws -> [[Float]] {
        var rows: [[Float]] = []
        rows.reserveCapacity(crops.count)
        let size = embedder.description.inputSize
        for start in stride(from: 0, to: crops.count, by: batchSize) {
            let batch = crops[start..<min(crops.count, start + batchSize)].map { FaceBatch.conform($0, size: size) }
            rows += try embedder.embed(Array(batch))
        }
        return rows
    }
}
