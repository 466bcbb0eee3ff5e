import Foundation

/// What a face must meet to be enrolled (a poor face in the gallery makes every later match worse). Each
/// limit has a flag on `facenet enroll`; defaults are in docs/recognition.md with how they were chosen.
public struct QualityGate: Equatable, Sendable {
    /// The shorter side of the detected box, in source pixels.
    public var minimumFaceSize: Double = 40
    /// MTCNN's O-Net probability.
    public var minimumScore: Double = 0.95
    /// Variance of the Laplacian of the 160 px crop.
    public var minimumSharpness: Double = 20

    public init() {}

    /// Why `face` is refused, or nil when it passes.
    public func rejection(_ face: FoundFace) -> String? {
        if face.size < minimumFaceSize {
            return String(format: "face too small: %.0f px, the minimum is %.0f (--min-enroll-size)", face.size, minimumFaceSize)
        }
        if Double(face.detection.score) < minimumScore {
            return String(format: "detection score %.3f below %.3f (--min-score)", face.detection.score, minimumScore)
        }
        if face.sharpness < minimumSharpness {
            return String(format: "too blurred: sharpness %.1f below %.1f (--min-sharpness)", face.sharpness, minimumSharpness)
        }
        return nil
    }
}
