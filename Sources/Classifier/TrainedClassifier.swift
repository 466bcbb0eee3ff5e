/// A trained classifier of either kind.
public enum TrainedClassifier: Sendable {
    case linear(LinearClassifier)
    case knn(NearestNeighbours)

    public var kind: ClassifierKind {
        switch self {
        case .linear: .linear
        case .knn: .knn
        }
    }

    public var dimension: Int {
        switch self {
        case .linear(let c): c.dimension
        case .knn(let c): c.training.dimension
        }
    }

    public var classCount: Int {
        switch self {
        case .linear(let c): c.classCount
        case .knn(let c): c.training.names.count
        }
    }

    public func predict(_ embedding: [Float]) throws -> ClassPrediction {
        switch self {
        case .linear(let c): try c.predict(embedding)
        case .knn(let c): try c.predict(embedding)
        }
    }
}
