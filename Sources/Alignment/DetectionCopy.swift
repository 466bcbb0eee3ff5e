import Vision

/// The copy of a large image the detector runs on (`DetectorOptions.maxDetectionSide`) and the way back:
/// its long side shrunk to the bound, the short side in proportion (rounded, at least 1 px), pixels
/// averaged with area interpolation (`cv::INTER_AREA`, no aliasing).
///
/// Coordinates map back by plain multiplication with source pixels per copy pixel, x and y apart (the
/// rounding of the copy's size makes them differ slightly). That is the rule MTCNN itself uses between
/// its pyramid levels and the source (`floor((2x + 1) / scale)`), so the copy acts as one more pyramid
/// factor ahead of the others.
public struct DetectionCopy: Equatable, Sendable {
    public let sourceWidth: Int
    public let sourceHeight: Int
    public let width: Int
    public let height: Int

    /// The copy of a `sourceWidth` x `sourceHeight` image under `maxSide` (0: no bound, the copy is the
    /// source itself).
    public init(sourceWidth: Int, sourceHeight: Int, maxSide: Int) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        let long = max(sourceWidth, sourceHeight)
        guard maxSide > 0, long > maxSide else {
            (width, height) = (sourceWidth, sourceHeight)
            return
        }
        let scale = Double(maxSide) / Double(long)
        width = max(1, Int((Double(sourceWidth) * scale).rounded()))
        height = max(1, Int((Double(sourceHeight) * scale).rounded()))
    }

    /// True when the detector sees the source pixels themselves.
    public var isSource: Bool { width == sourceWidth && height == sourceHeight }

    /// Source pixels per copy pixel along x and along y.
    public var toSourceX: Double { Double(sourceWidth) / Double(width) }
    public var toSourceY: Double { Double(sourceHeight) / Double(height) }

    /// The pixels the detector sees: `image` itself, or its shrunk copy.
    public func pixels(of image: Image) -> Image {
        precondition(image.width == sourceWidth && image.height == sourceHeight, "image is not the copy's source")
        return isSource ? image : image.resized(width: width, height: height, interpolation: .area)
    }

    /// A face found on the copy, in source pixels.
    public func toSource(_ face: DetectedFace) -> DetectedFace {
        guard !isSource else { return face }
        let (sx, sy) = (toSourceX, toSourceY)
        let box = FaceBox(
            x1: Float(Double(face.box.x1) * sx), y1: Float(Double(face.box.y1) * sy),
            x2: Float(Double(face.box.x2) * sx), y2: Float(Double(face.box.y2) * sy))
        return DetectedFace(
            box: box, score: face.score, landmarks: face.landmarks.map { Point2D($0.x * sx, $0.y * sy) })
    }
}
