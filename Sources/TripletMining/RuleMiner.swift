/// A miner made of a qualifying rule (`TripletRule`) and a selection policy (`SelectionPolicy`) applied
/// to each anchor-positive pair (`AnchorPositivePairs`).
///
/// For every anchor-positive pair of the same label, the negatives (rows of any other label) that satisfy
/// `rule` at margin alpha are collected and `policy` keeps all, one at random or the closest. Output order:
/// by anchor, then positive, then (for `all`) negative, all increasing; random choices come from the
/// injected generator in that order, so a seeded generator gives the same triplets every time.
///
/// Equivalents:
/// - `RuleMiner(rule: .margin, policy: .randomNegative)` (unordered pairs) is davidsandberg/facenet's
///   `select_triplets` in `src/train_tripletloss.py`, apart from its final `np.random.shuffle`.
/// - `RuleMiner(rule: r, policy: .all)` (ordered pairs) is pytorch-metric-learning's
///   `TripletMarginMiner(margin, type_of_triplets: semihard / all / hard)` with
///   `LpDistance(p=2, power=2)` (see `TripletRule` for the one boundary difference).
/// - `RuleMiner(rule: .semihard, policy: .hardestNegative)` is FaceNet's hardest semi-hard negative.
///
/// Cost: one pass over the negatives of the anchor per anchor-positive pair, on Swift buffers:
/// about n * (k - 1) / 2 * (n - k) comparisons for n rows in classes of k with unordered pairs.
public struct RuleMiner: TripletMiner, Sendable {
    public let rule: TripletRule
    public let policy: SelectionPolicy
    /// alpha, in squared-distance units (FaceNet and davidsandberg: 0.2).
    public let margin: Double
    public let pairs: AnchorPositivePairs
    /// Mining ends after this many triplets (the first ones in output order).
    public let maxTriplets: Int
    /// Polled once per anchor: true ends mining early with the triplets found so far (a stop signal during a
    /// large batch; a caller that stops discards them).
    public let shouldStop: @Sendable () -> Bool

    /// `pairs` nil means the pairs of the policy's reference (`AnchorPositivePairs.reference(for:)`):
    /// ordered for `all`, unordered for `randomNegative` and `hardestNegative`.
    public init(
        rule: TripletRule, policy: SelectionPolicy, margin: Double = 0.2, pairs: AnchorPositivePairs? = nil,
        maxTriplets: Int = .max, shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        precondition(margin >= 0 && margin.isFinite, "RuleMiner: margin must be finite and >= 0, got \(margin)")
        precondition(maxTriplets >= 0, "RuleMiner: maxTriplets must be >= 0, got \(maxTriplets)")
        self.rule = rule
        self.policy = policy
        self.margin = margin
        self.pairs = pairs ?? AnchorPositivePairs.reference(for: policy)
        self.maxTriplets = maxTriplets
        self.shouldStop = shouldStop
    }

    /// Anchor-positive pairs times the triplets a pair gives. A class of s <= k rows has s(s - 1) ordered
    /// pairs (half that unordered), so the n rows have at most n(k - 1) ordered pairs; one triplet each
    /// except under `all`, where the pairs of a class of s give s(s - 1)(n - s) triplets: at most n times the
    /// largest (s - 1)(n - s) over s <= k, reached at s = k or, for k past it, at s = (n + 1) / 2.
    public func tripletBound(images n: Int, perClass: Int) -> Int {
        let k = max(1, min(perClass, n))
        let (orderedPairs, overflow) = n.multipliedReportingOverflow(by: k - 1)
        if overflow { return .max }
        guard policy == .all else { return pairs == .ordered ? orderedPairs : orderedPairs / 2 }
        let s = min(k, (n + 1) / 2)
        let perRow = max((s - 1) * (n - s), s < k ? s * (n - s - 1) : 0)
        let (all, overflowAll) = n.multipliedReportingOverflow(by: perRow)
        return overflowAll ? .max : all
    }

    public func mine(_ distances: DistanceMatrix, labels: [Int], generator: inout some RandomNumberGenerator)
        -> [Triplet]
    {
        let n = distances.count
        precondition(labels.count == n, "RuleMiner: \(labels.count) labels for \(n) embeddings")
        let groups = LabelGroups(labels: labels)
        let (low, high) = rule.gapInterval(margin: Float(margin))
        var triplets: [Triplet] = []
        // Per anchor: the distances to its negatives, packed, and a scratch list of qualifying positions.
        var negativeDistances = [Float](repeating: 0, count: n)
        var qualifying = [Int](repeating: 0, count: n)

        distances.values.withUnsafeBufferPointer { matrix in
            negativeDistances.withUnsafeMutableBufferPointer { packed in
                qualifying.withUnsafeMutableBufferPointer { chosen in
                    let d = matrix.baseAddress!
                    let nd = packed.baseAddress!
                    let q = chosen.baseAddress!
                    for anchor in 0..<n {
                        if triplets.count >= maxTriplets || shouldStop() { break }
                        let group = groups.group[anchor]
                        let negatives = groups.others[group]
                        let m = negatives.count
                        if m == 0 { continue }
                        let row = d + anchor * n
                        negatives.withUnsafeBufferPointer { negs in
                            let ni = negs.baseAddress!
                            var k = 0
                            while k < m {
                                nd[k] = row[ni[k]]
                                k += 1
                            }
                        }
                        for positive in groups.members[group] {
                            if positive == anchor || (pairs == .unordered && positive < anchor) { continue }
                            let ap = row[positive]
                            // Positions k (into `negatives`) with low < d_an - d_ap < high.
                            var c = 0
                            var k = 0
                            while k < m {
                                let gap = nd[k] - ap
                                q[c] = k
                                if gap > low && gap < high { c += 1 }
                                k += 1
                            }
                            if c == 0 { continue }
                            if triplets.count >= maxTriplets { break }
                            switch policy {
                            case .all:
                                for j in 0..<min(c, maxTriplets - triplets.count) {
                                    triplets.append(Triplet(anchor: anchor, positive: positive, negative: negatives[q[j]]))
                                }
                            case .randomNegative:
                                let j = Int(generator.next(upperBound: UInt64(c)))
                                triplets.append(Triplet(anchor: anchor, positive: positive, negative: negatives[q[j]]))
                            case .hardestNegative:
                                var best = q[0]
                                for j in 1..<c where nd[q[j]] < nd[best] { best = q[j] }
                                triplets.append(Triplet(anchor: anchor, positive: positive, negative: negatives[best]))
                            }
                        }
                    }
                }
            }
        }
        return triplets
    }
}

extension TripletRule {
    /// The rule as an open interval (low, high) on the gap d_an - d_ap: `qualifies` is
    /// `low < gap && gap < high`. `hard`'s `gap <= 0` is `gap < leastNonzeroMagnitude` in Float.
    func gapInterval(margin alpha: Float) -> (low: Float, high: Float) {
        switch self {
        case .semihard: (0, alpha)
        case .margin: (-.infinity, alpha)
        case .hard: (-.infinity, .leastNonzeroMagnitude)
        }
    }
}
