/// Batch-hard mining (Hermans, Beyer, Leibe, "In Defense of the Triplet Loss for Person
/// Re-Identification", 2017): per anchor, the farthest positive and the closest negative, one triplet per
/// anchor. Anchors with no positive (a label seen once) or no negative (one label in the batch) are
/// skipped. Ties go to the lowest index.
///
/// Equals pytorch-metric-learning's `BatchHardMiner` (`BatchEasyHardMiner` with `pos_strategy=HARD`,
/// `neg_strategy=HARD`: `get_max_per_row` over positives, `get_min_per_row` over negatives, keeping the
/// anchors that have both) with `LpDistance(p=2, power=2)`. Output in increasing anchor order. It makes no
/// random choice.
public struct BatchHardMiner: TripletMiner, Sendable {
    public init() {}

    /// One triplet per anchor.
    public func tripletBound(images: Int, perClass: Int) -> Int { images }

    public func mine(_ distances: DistanceMatrix, labels: [Int], generator: inout some RandomNumberGenerator)
        -> [Triplet]
    {
        let n = distances.count
        precondition(labels.count == n, "BatchHardMiner: \(labels.count) labels for \(n) embeddings")
        var triplets: [Triplet] = []
        triplets.reserveCapacity(n)
        labels.withUnsafeBufferPointer { labelBuffer in
            distances.values.withUnsafeBufferPointer { matrix in
                let label = labelBuffer.baseAddress!
                for anchor in 0..<n {
                    let row = matrix.baseAddress! + anchor * n
                    var positive = -1
                    var negative = -1
                    var farthest = -Float.infinity
                    var closest = Float.infinity
                    var j = 0
                    while j < n {
                        let dj = row[j]
                        if label[j] == label[anchor] {
                            if j != anchor && (positive < 0 || dj > farthest) {
                                positive = j
                                farthest = dj
                            }
                        } else if negative < 0 || dj < closest {
                            negative = j
                            closest = dj
                        }
                        j += 1
                    }
                    if positive >= 0 && negative >= 0 {
                        triplets.append(Triplet(anchor: anchor, positive: positive, negative: negative))
                    }
                }
            }
        }
        return triplets
    }
}
