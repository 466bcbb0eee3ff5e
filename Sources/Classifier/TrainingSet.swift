import Support

/// Embeddings with the class index of each, and the class names (index = position).
public struct TrainingSet: Sendable {
    public let names: [String]
    /// Row-major, `count` rows of `dimension` floats.
    public let vectors: [Float]
    public let labels: [Int32]
    public let dimension: Int

    public var count: Int { labels.count }

    public init(names: [String], vectors: [Float], labels: [Int32], dimension: Int) throws {
        guard dimension > 0, vectors.count == labels.count * dimension else {
            throw UserError("training set: \(vectors.count) floats are not \(labels.count) vectors of \(dimension)")
        }
        guard names.count >= 2 else {
            throw UserError("a classifier needs at least 2 identities, got \(names.count) (\(names.joined(separator: ", ")))")
        }
        guard Set(names).count == names.count else { throw UserError("training set: identity names repeat") }
        for k in names.indices where !labels.contains(Int32(k)) {
            throw UserError("identity \(names[k]) has no training embedding")
        }
        guard labels.allSatisfy({ (0..<Int32(names.count)).contains($0) }) else {
            throw UserError("training set: a label is not one of the \(names.count) identities")
        }
        guard vectors.allSatisfy(\.isFinite) else { throw UserError("training set: an embedding is not finite") }
        self.names = names
        self.vectors = vectors
        self.labels = labels
        self.dimension = dimension
    }

    /// Named embeddings grouped by name: classes in sorted name order (as scikit-learn's LabelEncoder).
    public init(named: [(name: String, vector: [Float])]) throws {
        let names = Array(Set(named.map(\.name))).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        let dimension = named.first?.vector.count ?? 0
        guard named.allSatisfy({ $0.vector.count == dimension }) else {
            throw UserError("training set: embeddings of different sizes")
        }
        try self.init(names: names, vectors: named.flatMap(\.vector), labels: named.map { index[$0.name]! }, dimension: dimension)
    }

    public func row(_ i: Int) -> ArraySlice<Float> { vectors[i * dimension..<(i + 1) * dimension] }
}
