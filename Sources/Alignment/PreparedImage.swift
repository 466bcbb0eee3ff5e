import TorchBridge
import Vision

/// An image made ready for the detector, off the network thread: the pixels the detector sees (the
/// image, or its copy shrunk to `DetectorOptions.maxDetectionSide`, `DetectionCopy`; R-Net and O-Net crops
/// are resampled from them) and the pyramid: each level resized from those pixels with area
/// interpolation (`imresample`, i.e. `F.interpolate(mode='area')`, on the float image in the
/// channels-last layout facenet-pytorch's `permute(0, 3, 1, 2)` gives) and then scaled
/// `(x - 127.5) / 128`, in that order, as `detect_face` does.
public struct PreparedImage: @unchecked Sendable {
    /// The detector's pixels (not the source image when it was shrunk).
    public let image: Image
    /// How `image` relates to the source; `MTCNNDetector.detect` maps its faces back with it.
    public let copy: DetectionCopy
    public let levels: [(scale: Double, input: Tensor)]

    /// The size of the detector's pixels.
    public var width: Int { image.width }
    public var height: Int { image.height }

    public init(_ source: Image, options: DetectorOptions) throws {
        copy = DetectionCopy(sourceWidth: source.width, sourceHeight: source.height, maxSide: options.maxDetectionSide)
        let image = copy.pixels(of: source)
        self.image = image
        let scales = Candidates.pyramidScales(
            width: image.width, height: image.height, minFaceSize: options.minFaceSize, factor: options.factor)
        guard !scales.isEmpty else {
            levels = []
            return
        }
        levels = try withNoGrad {
            let hwc = try image.pixels.withUnsafeBytes {
                try Tensor(bytes: $0, shape: [1, image.height, image.width, 3], dtype: .uint8)
            }
            let pixels = try hwc.to(.float32).permuted([0, 3, 1, 2])  // [1, H, W, 3] -> [1, 3, H, W] view
            return try scales.map { scale in
                let size = Candidates.scaledSize(width: image.width, height: image.height, scale: scale)
                let resized = try F.interpolate(pixels, size: (size.height, size.width), mode: .area)
                return (scale, try (resized - 127.5) * 0.0078125)
            }
        }
    }

    /// False when the image is smaller than the minimum face size: the pyramid has no level.
    public var isSearchable: Bool { !levels.isEmpty }
}
