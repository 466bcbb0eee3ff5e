/// How a probe's distance to an identity is taken from the identity's faces.
public enum MatchRule: String, CaseIterable, Codable, Sendable {
    /// The distance to the closest of the identity's faces.
    case min
    /// The distance to the identity's mean embedding (renormalised to unit length).
    case mean
}

/// The number compared with the threshold to decide between a name and "unknown" (smaller: more likely the
/// nearest identity). Measured on the LFW open-set protocol in docs/results.md.
public enum OpenSetScore: String, CaseIterable, Codable, Sendable {
    /// The squared L2 distance to the nearest identity (eval's distance).
    case distance
    /// The nearest identity's distance divided by the next identity's: near 1 when the probe is about as
    /// close to two people, as a stranger usually is in a large gallery.
    case ratio
    /// The nearest identity's distance divided by the mean distance of the next `cohortSize` identities
    /// (cohort normalisation: the gallery's other people as the probe's own impostor cohort).
    case cohort

    /// Identities after the nearest that the cohort score averages over.
    public static let cohortSize = 4

    /// How many nearest identities the score needs.
    public var candidatesNeeded: Int {
        switch self {
        case .distance: return 1
        case .ratio: return 2
        case .cohort: return 1 + Self.cohortSize
        }
    }

    /// The score of a probe whose nearest identities are at `distances` (ascending). With fewer identities than
    /// the score needs, the missing ones count as the largest squared distance, 4.
    public func value(_ distances: [Double]) -> Double {
        guard let nearest = distances.first else { return .infinity }
        let others = Array(distances.dropFirst())
        switch self {
        case .distance: return nearest
        case .ratio: return nearest / max(others.first ?? 4, 1e-12)
        case .cohort:
            let cohort = (0..<Self.cohortSize).map { $0 < others.count ? others[$0] : 4 }
            return nearest / max(cohort.reduce(0, +) / Double(cohort.count), 1e-12)
        }
    }
}
