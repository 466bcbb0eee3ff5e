import Gallery

/// The decision a gallery uses before `facenet gallery calibrate` sets its own threshold. Measured on the
/// LFW open-set protocol (docs/results.md, "Open-set identification"); LFW's pair threshold is not one.
public enum OpenSetDefaults {
    public static let rule = MatchRule.mean
    /// On bench/openset (610 LFW people enrolled, 2 photos each; rule mean) cohort 0.61 names 0.96% of 4,069
    /// strangers and gives a detection-and-identification rate of 0.943 on 5,513 genuine probes.
    public static let threshold = ThresholdInUse(
        score: .cohort, value: 0.61,
        origin: "default (uncalibrated): cohort 0.61, false alarms 0.96% on the LFW open-set protocol (docs/results.md)",
        rule: rule)

    public static var stored: StoredThreshold { threshold.stored }
}
