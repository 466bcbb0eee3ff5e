import Support

/// k nearest neighbours over the training embeddings: distance = eval's squared L2 (on unit vectors,
/// 2 - 2 cos); probability of a class = its share of the k nearest (scikit-learn's KNeighborsClassifier
/// with uniform weights). Ties in distance keep training order.
public struct NearestNeighbours: Sendable {
    /// scikit-learn's KNeighborsClassifier default `n_neighbors=5`.
    public static let defaultK = 5

    public let training: TrainingSet
    public let k: Int

    public init(training: TrainingSet, k: Int = NearestNeighbours.defaultK) throws {
        guard k >= 1 else { throw UserError("k must be at least 1, got \(k)") }
        guard k <= training.count else {
            throw UserError("k = \(k) is more than the \(training.count) training embeddings")
        }
        self.training = training
        self.k = k
    }

    public func squaredDistances(to embedding: [Float]) -> [Float] {
        (0..<training.count).map { i in
            zip(training.row(i), embedding).reduce(Float(0)) { sum, pair in sum + (pair.0 - pair.1) * (pair.0 - pair.1) }
        }
    }

    public func predict(_ embedding: [Float]) throws -> ClassPrediction {
        guard embedding.count == training.dimension else {
            throw UserError("an embedding of \(embedding.count) values for a classifier of \(training.dimension)")
        }
        let distances = squaredDistances(to: embedding)
        let nearest = distances.indices.sorted { distances[$0] < distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }.prefix(k)
        var votes = [Double](repeating: 0, count: training.names.count)
        for i in nearest { votes[Int(training.labels[i])] += 1 }
        return ClassPrediction(probabilities: votes.map { $0 / Double(k) })
    }
}
