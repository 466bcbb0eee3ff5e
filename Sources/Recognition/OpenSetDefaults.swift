import Gallery

/// The decision a gallery uses before `facenet gallery calibrate` sets its own threshold. Measured on the
/// LFW open-set protocol (docs/results.md, "Open-set identification"); LFW's pair threshold is not one.
public enum OpenSetDefaults {
    public static let rule = MatchRule.mean
    public static let threshold = ThresholdInUse(
        score: .ratio, value: 0.80,
        origin: "default (uncalibrated): ratio 0.80, measured on the LFW open-set protocol (docs/results.md)")

    public static var stored: StoredThreshold {
        StoredThreshold(score: threshold.score.rawValue, value: threshold.value, origin: threshold.origin)
    }
}
