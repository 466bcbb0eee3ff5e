import Gallery
import Support

/// The threshold in force and where it came from, as every result reports it.
public struct ThresholdInUse: Equatable, Sendable {
    public var score: OpenSetScore
    public var value: Double
    public var origin: String
    /// The match rule the score is computed with, the one the threshold was set for.
    public var rule: MatchRule

    public init(score: OpenSetScore, value: Double, origin: String, rule: MatchRule) {
        self.score = score
        self.value = value
        self.origin = origin
        self.rule = rule
    }

    /// The gallery's stored threshold; an unknown score or rule name (a newer file) is an error naming it. A
    /// gallery that predates the stored rule used mean (`StoredThreshold.rule`).
    public init(_ stored: StoredThreshold, gallery: String) throws {
        guard let score = OpenSetScore(rawValue: stored.score) else {
            throw UserError("\(gallery): threshold score '\(stored.score)' is not one of \(OpenSetScore.allCases.map(\.rawValue))")
        }
        guard let rule = MatchRule(rawValue: stored.rule ?? MatchRule.mean.rawValue) else {
            throw UserError("\(gallery): threshold rule '\(stored.rule!)' is not one of \(MatchRule.allCases.map(\.rawValue))")
        }
        self.init(score: score, value: stored.value, origin: stored.origin, rule: rule)
    }

    /// The same score and rule at another value, e.g. a `--threshold` given on the command line.
    public func with(value: Double, origin: String) -> ThresholdInUse {
        ThresholdInUse(score: score, value: value, origin: origin, rule: rule)
    }

    /// What a gallery stores.
    public var stored: StoredThreshold {
        StoredThreshold(score: score.rawValue, value: value, origin: origin, rule: rule.rawValue)
    }
}

/// A name or "unknown" for one probe, from its nearest identities.
public struct OpenSetDecision: Equatable, Sendable {
    /// Nil: unknown (the score is over the threshold, or the gallery is empty).
    public let name: String?
    public let nearest: Candidate?
    public let score: Double
    /// 0 at the threshold, 1 at the far end of the score's range on the side decided (a margin, not a
    /// probability).
    public let confidence: Double

    public init(candidates: [Candidate], threshold: ThresholdInUse) {
        guard let first = candidates.first else {
            (name, nearest, score, confidence) = (nil, nil, .infinity, 1)
            return
        }
        nearest = first
        score = threshold.score.value(candidates.map(\.distance))
        let t = threshold.value
        let range = threshold.score.range
        if score <= t {
            name = first.name
            confidence = t > range.lowerBound ? min(1, max(0, (t - score) / (t - range.lowerBound))) : 1
        } else {
            name = nil
            confidence = range.upperBound > t ? min(1, max(0, (score - t) / (range.upperBound - t))) : 1
        }
    }
}

extension OpenSetScore {
    /// The values a score can take: squared distances of unit vectors lie in [0, 4]; the ratio and the cohort
    /// score divide the nearest distance by larger ones, so they lie in [0, 1].
    var range: ClosedRange<Double> {
        switch self {
        case .distance: return 0...4
        case .ratio, .cohort: return 0...1
        }
    }
}
