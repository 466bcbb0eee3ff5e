/// Chooses training triplets from the squared-distance matrix of a batch and its labels, as
/// pytorch-metric-learning's miners do (`miner(embeddings, labels)` -> `(a, p, n)` indices). A miner
/// only reads distances; the loss is a separate piece (`TripletLoss`), as in pytorch-metric-learning.
///
/// Every random choice comes from `generator`, so a seeded generator (`Support.SeededRandom`) makes mining
/// reproducible and its state can be checkpointed.
public protocol TripletMiner {
    /// The triplets, as indices into the batch; `labels[i]` is the identity of row `i` of `distances`.
    func mine(_ distances: DistanceMatrix, labels: [Int], generator: inout some RandomNumberGenerator) -> [Triplet]

    /// The most triplets `mine` can return for a batch of `images` rows in classes of at most `perClass`
    /// (checked against a limit before any work: the triplets of one batch are held in memory).
    func tripletBound(images: Int, perClass: Int) -> Int
}

extension TripletMiner {
    /// Mining with the system's random generator (for miners that make no random choice, or when
    /// reproducibility does not matter).
    public func mine(_ distances: DistanceMatrix, labels: [Int]) -> [Triplet] {
        var generator = SystemRandomNumberGenerator()
        return mine(distances, labels: labels, generator: &generator)
    }
}
