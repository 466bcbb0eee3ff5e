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
        try faces(in: [(image, try detector.prepare(image))])[0]
    }

    /// The faces of several photos from one detector pass (P-Net shares its pyramid passes between photos of
    /// one size, R-Net and O-Net run once for all); when the pass fails, each photo alone, so that one photo
    /// cannot sink the others (its error is thrown only for it, by `faces(in:)`).
    public func faces(in photos: [(image: Image, prepared: PreparedImage)]) throws -> [[FoundFace]] {
        let size = embedder.description.inputSize
        let detections: [[DetectedFace]]
        do {
            detections = try detector.detect(photos.map(\.prepared))
        } catch where photos.count > 1 {
            detections = try photos.map { try detector.detect([$0.prepared])[0] }
        }
        return zip(photos, detections).map { photo, found in
            found.compactMap { face in
                guard let crop = CropRule.crop(photo.image, box: face.box, margin: margin, imageSize: size) else { return nil }
                return FoundFace(detection: face, crop: crop, sharpness: crop.laplacianVariance)
            }
        }
    }

    /// The face `facenet align` would keep (the largest, most central) of `faces` found in `image`.
    public static func mainFace(_ faces: [FoundFace], in image: Image) -> FoundFace? {
        FaceChoice.pick(faces.map(\.detection), imageWidth: image.width, imageHeight: image.height).map { faces[$0] }
    }

    /// The face `facenet align` would keep (the largest, most central), or nil.
    public func mainFace(in image: Image) throws -> FoundFace? { Self.mainFace(try faces(in: image), in: image) }

    /// Photos decoded and prepared for the detector on a background thread, `depth` ahead of the caller.
    public func load(_ paths: [String], depth: Int = 10) -> Prefetcher<LoadedPhoto> {
        let detector = self.detector
        return Prefetcher(count: paths.count, depth: depth) { k in
            do {
                let image = try Image.load(path: paths[k])
                return .ready(path: paths[k], image: image, prepared: try detector.prepare(image))
            } catch {
                return .failed(path: paths[k], reason: "\(error)")
            }
        }
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

/// A photo read ahead for the detector, or why it could not be.
public enum LoadedPhoto: @unchecked Sendable {
    case ready(path: String, image: Image, prepared: PreparedImage)
    case failed(path: String, reason: String)
}
