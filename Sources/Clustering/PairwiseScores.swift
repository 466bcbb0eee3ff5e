/// Pairwise precision, recall and F1 of a clustering against the true identities: over all unordered pairs
/// of distinct items, a pair is predicted positive when both items are in the same cluster and truly
/// positive when both have the same identity. Noise items count as clusters of one (they claim no pair).
/// A ratio whose denominator is 0 (no predicted pair, or no true pair) is 1: nothing was claimed wrongly
/// (or missed).
public struct PairwiseScores: Equatable, Sendable {
    public let truePositivePairs: Int
    public let predictedPairs: Int
    public let truePairs: Int

    public init(clusters: Clusters, identities: [Int]) {
        precondition(clusters.labels.count == identities.count, "PairwiseScores: label counts differ")
        var cells: [Pair: Int] = [:]
        var predicted: [Int: Int] = [:]
        var truth: [Int: Int] = [:]
        for (item, identity) in identities.enumerated() {
            truth[identity, default: 0] += 1
            let cluster = clusters.labels[item]
            guard cluster != Clusters.noiseLabel else { continue }
            predicted[cluster, default: 0] += 1
            cells[Pair(cluster: cluster, identity: identity), default: 0] += 1
        }
        func pairs<Counts: Sequence<Int>>(_ counts: Counts) -> Int { counts.reduce(0) { $0 + $1 * ($1 - 1) / 2 } }
        truePositivePairs = pairs(cells.values)
        predictedPairs = pairs(predicted.values)
        truePairs = pairs(truth.values)
    }

    private struct Pair: Hashable {
        let cluster: Int
        let identity: Int
    }

    public var precision: Double { predictedPairs == 0 ? 1 : Double(truePositivePairs) / Double(predictedPairs) }
    public var recall: Double { truePairs == 0 ? 1 : Double(truePositivePairs) / Double(truePairs) }
    public var f1: Double {
        let (p, r) = (precision, recall)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
}
