/// How a probe's distance to an identity is taken from the identity's faces.
public enum MatchRule: String, CaseIterable, Codable, Sendable {
    /// The distance to the closest of the identity's faces.
    case min
    /// The distance to the identity's mean embedding (renormalised to unit length).
    case mean
}

/// The number compared with the threshold to decide between a name and "unknown".
public enum OpenSetScore: String, CaseIterable, Codable, Sendable {
    /// The squared L2 distance to the nearest identity (eval's distance).
    case distance
    /// The nearest identity's distance divided by the next identity's: near 1 when the probe is about as
    /// close to two people, as a stranger usually is in a large gallery; it accounts for the gallery
    /// around the match, which a raw distance does not.
    case ratio

    /// The score of a probe whose nearest identities are at `nearest` and `next` (nil when the gallery holds
    /// one identity: the ratio then falls back to the distance over 4, the largest squared distance).
    public func value(nearest: Double, next: Double?) -> Double {
        switch self {
        case .distance: return nearest
        case .ratio:
            guard let next, next > 0 else { return nearest / 4 }
            return nearest / next
        }
    }
}
