/// The open-set threshold from the scores of people who are not in the gallery ("strangers"): the value at
/// which at most a fraction `far` of them would be given a name (score <= threshold).
public enum Calibration {
    public struct Result: Equatable, Sendable {
        public let threshold: Double
        /// The fraction of the strangers the threshold accepts (at most `far`; less when scores tie).
        public let falseAlarmRate: Double
        public let strangers: Int
    }

    /// With the scores sorted s[0] <= ... <= s[n-1] and m = floor(far * n), the threshold is the float just
    /// below s[m]: exactly the m lowest scores are accepted (fewer where s[m-1] == s[m]).
    public static func threshold(strangerScores: [Double], far: Double) -> Result? {
        let sorted = strangerScores.filter(\.isFinite).sorted()
        guard !sorted.isEmpty, far >= 0, far < 1 else { return nil }
        let m = Int((far * Double(sorted.count)).rounded(.down))
        let threshold = sorted[m].nextDown
        let accepted = sorted.prefix { $0 <= threshold }.count
        return Result(threshold: threshold, falseAlarmRate: Double(accepted) / Double(sorted.count), strangers: sorted.count)
    }
}
