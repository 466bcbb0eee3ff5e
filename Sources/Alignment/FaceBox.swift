import Support
import Vision

/// A detected face: its box (x1, y1, x2, y2 in source pixels, float32 as the reference computes them),
/// the O-Net probability and the five landmarks (left eye, right eye, nose, left and right mouth corner,
/// "left" meaning the image's left).
public struct DetectedFace: Equatable, Sendable {
    public var box: FaceBox
    public var score: Float
    public var landmarks: [Point2D]

    public init(box: FaceBox, score: Float, landmarks: [Point2D]) {
        self.box = box
        self.score = score
        self.landmarks = landmarks
    }
}

/// A box by its corners, in pixels. MTCNN's boxes are not clamped to the image.
public struct FaceBox: Equatable, Sendable {
    public var x1: Float
    public var y1: Float
    public var x2: Float
    public var y2: Float

    public init(x1: Float, y1: Float, x2: Float, y2: Float) {
        (self.x1, self.y1, self.x2, self.y2) = (x1, y1, x2, y2)
    }

    public var width: Float { x2 - x1 }
    public var height: Float { y2 - y1 }
}
