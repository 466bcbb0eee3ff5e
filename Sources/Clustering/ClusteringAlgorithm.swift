import TripletMining
import Support

/// How `facenet cluster` groups faces. Both work on the same squared L2 distances between L2-normalised
/// embeddings (`EmbeddingDistances`), with a threshold on that distance.
public enum ClusteringAlgorithm: String, Sendable, CaseIterable {
    /// Chinese whispers (Biemann 2006) on the graph joining faces closer than the threshold
    /// (`ChineseWhispers`); every face ends in a cluster, possibly of one.
    case chineseWhispers = "chinese-whispers"
    /// DBSCAN (Ester et al. 1996) with eps = the threshold (`DBSCAN`); faces that are not density-reachable
    /// from a core face are noise.
    case dbscan

    /// The default squared-distance threshold: the best pairwise F1 of a sweep (0.300 to 1.200 in steps of
    /// 0.025) on the 1,522 LFW people with 2-9 photos (4,840 faces, about as many as the test set: DBSCAN's
    /// single-linkage chaining grows with the number of faces), `bench/cluster/run.sh`, 2026-12-06
    /// (docs/recognition.md, "Clustering"). Not LFW's pair threshold (1.18), which merges people. On the 158
    /// people with at least 10 photos these gave F1 0.992 (Chinese whispers) and 0.980 (DBSCAN).
    public var defaultThreshold: Double {
        switch self {
        case .chineseWhispers: return 0.6
        case .dbscan: return 0.45
        }
    }
}

/// One clustering run's settings.
public struct ClusteringSettings: Sendable, Equatable {
    public var algorithm: ClusteringAlgorithm
    /// Squared L2 distance between normalised embeddings: Chinese whispers' edge threshold (strictly below),
    /// DBSCAN's eps (at most, as scikit-learn's radius neighbours).
    public var threshold: Double
    /// DBSCAN only: neighbours within eps, the face itself included, that make a face a core face.
    public var minSamples: Int = DBSCAN.defaultMinSamples
    /// Chinese whispers only: passes over all nodes (dlib's default 100) and the seed of their order.
    public var iterations: Int = ChineseWhispers.defaultIterations
    public var seed: UInt64 = 0

    public init(algorithm: ClusteringAlgorithm, threshold: Double? = nil) {
        self.algorithm = algorithm
        self.threshold = threshold ?? algorithm.defaultThreshold
    }

    /// Whether two faces at a squared distance are joined: Chinese whispers' edge or DBSCAN's neighbour. The
    /// algorithm is chosen here, once, not for each of the n^2 pairs the rule is asked about.
    public var joins: (Float) -> Bool {
        switch algorithm {
        case .chineseWhispers: ChineseWhispers(threshold: threshold).joins
        case .dbscan: DBSCAN(eps: threshold).joins
        }
    }

    /// Clusters the faces whose pairwise distances are `distances`.
    public func cluster(_ distances: DistanceMatrix) -> Clusters { cluster(NeighbourLists(distances, joins: joins)) }

    /// Clusters the faces of neighbour lists built with `joins`.
    public func cluster(_ graph: NeighbourLists) -> Clusters {
        switch algorithm {
        case .chineseWhispers:
            var generator = SeededRandom(seed: seed)
            return ChineseWhispers(threshold: threshold, iterations: iterations).cluster(graph, generator: &generator)
        case .dbscan:
            return DBSCAN(eps: threshold, minSamples: minSamples).cluster(graph)
        }
    }
}
