import Foundation

/// What a face must meet to be enrolled (a poor face in the gallery makes every later match worse). Each
/// limit has a flag on `facenet enroll`. Defaults (docs/recognition.md): 40 px, the smallest input size in
/// FaceNet's image-size study (Schroff et al. 2015, section 5), where its accuracy is far below that at 80 px
/// and more (the paper's numbers were quoted from memory, not re-checked here); score 0.95, which all
/// 1,220 LFW enrollment photos of bench/openset pass (lowest 0.979); sharpness 10, which refuses the
/// 2 most blurred of them (lowest 7.5; 1% are below 17.4).
public struct QualityGate: Equatable, Sendable {
    /// The shorter side of the detected box, in source pixels.
    public var minimumFaceSize: Double = 40
    /// MTCNN's O-Net probability.
    public var minimumScore: Double = 0.95
    /// Variance of the Laplacian of the 160 px crop.
    public var minimumSharpness: Double = 10

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
