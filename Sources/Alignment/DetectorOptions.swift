import Support

/// Detector settings; the defaults are facenet-pytorch's and davidsandberg's, except `maxDetectionSide`
/// (docs/alignment.md, "Large photos"). Each field's bounds are stated here once; the messages name the
/// command-line option (`facenet detect` and `facenet align` share these options).
public struct DetectorOptions: Equatable, Sendable {
    /// The smallest face (pixels) the pyramid looks for: its first scale is 12 / minFaceSize.
    public var minFaceSize: Double = 20
    /// P-Net, R-Net and O-Net probability thresholds.
    public var thresholds: [Double] = [0.6, 0.7, 0.7]
    /// Ratio between successive pyramid scales.
    public var factor: Double = 0.709
    /// Images whose long side is above this are detected on a copy shrunk to it (area interpolation);
    /// boxes and landmarks are mapped back to source pixels. 0: always detect on the full image.
    public var maxDetectionSide: Int = Self.defaultMaxDetectionSide

    /// face_recognition's limit too. Measured (docs/alignment.md, "Large photos"): peak memory of
    /// `detect` on a 64-megapixel photo 7.6 GB -> 1.3 GB, and 1600 is the smallest bound that kept all
    /// 48 faces of the benchmark's grids (1280 lost 4).
    public static let defaultMaxDetectionSide = 1600

    /// `--min-face-size`: P-Net's window is 12 px, so a smaller face cannot be searched for; above the
    /// side of the largest decodable square (100 megapixels) every pyramid is empty.
    public static let minFaceSizeRange = 12.0...10_000
    /// `--thresholds`: probabilities.
    public static let thresholdRange = 0.0...1
    /// `--factor`: the pyramid has ln(side / minFaceSize) / ln(1 / factor) levels; 0.95 keeps that at
    /// most 132 on a 10,000 px image with 12 px faces (0.999 would give 6,700), and below 0.1 the levels
    /// are so far apart that faces between two of them are missed.
    public static let factorRange = 0.1...0.95
    /// `--detect-max-side` when not 0: below 160 px a face that fills a quarter of the photo is at the
    /// 20 px minimum; 10,000 px is the side of the largest decodable square.
    public static let maxDetectionSideRange = 160...10_000

    public init(
        minFaceSize: Double = 20, thresholds: [Double] = [0.6, 0.7, 0.7], factor: Double = 0.709,
        maxDetectionSide: Int = Self.defaultMaxDetectionSide
    ) {
        self.minFaceSize = minFaceSize
        self.thresholds = thresholds
        self.factor = factor
        self.maxDetectionSide = maxDetectionSide
    }

    /// Throws a `UserError` naming the first option out of its range.
    public func validate() throws {
        try OptionRange.check("--min-face-size", minFaceSize, in: Self.minFaceSizeRange)
        guard thresholds.count == 3 else {
            throw UserError("--thresholds must be 3 probabilities (P-Net, R-Net, O-Net), got \(thresholds.count)")
        }
        for t in thresholds { try OptionRange.check("--thresholds", t, in: Self.thresholdRange) }
        try OptionRange.check("--factor", factor, in: Self.factorRange)
        if maxDetectionSide != 0 {
            guard Self.maxDetectionSideRange.contains(maxDetectionSide) else {
                throw UserError(
                    "--detect-max-side must be 0 (off) or in \(Self.maxDetectionSideRange.lowerBound)..."
                        + "\(Self.maxDetectionSideRange.upperBound), got \(maxDetectionSide)")
            }
        }
    }
}
