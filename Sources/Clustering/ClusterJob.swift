import Support

/// `facenet cluster`'s work once the faces are embedded: neighbour lists (never the n x n distances),
/// clustering, the output folder, and the pairwise scores against the identities when the faces have them.
public struct ClusterJob {
    public var settings: ClusteringSettings
    public var output: ClusterFolder

    public init(settings: ClusteringSettings, output: ClusterFolder) {
        self.settings = settings
        self.output = output
    }

    /// The faces to cluster: image paths relative to `root`, one embedding row each, per face the index of
    /// its identity when the input has identities (nil for a flat folder), and where each face is in its
    /// photo when the images are photos rather than crops (a photo may then hold several faces).
    public struct Faces {
        public var root: String
        public var paths: [String]
        public var embeddings: [Float]
        public var dimension: Int
        public var identities: [Int]?
        public var locations: [FaceLocation]?

        public init(
            root: String, paths: [String], embeddings: [Float], dimension: Int, identities: [Int]?,
            locations: [FaceLocation]? = nil
        ) {
            self.root = root
            self.paths = paths
            self.embeddings = embeddings
            self.dimension = dimension
            self.identities = identities
            self.locations = locations
        }
    }

    public struct Report {
        public let clusters: Clusters
        /// Against the identities, when the faces have them.
        public let scores: PairwiseScores?
    }

    public func run(_ faces: Faces) throws -> Report {
        guard !faces.paths.isEmpty else { throw UserError("there are no faces to cluster") }
        let graph = try EmbeddingDistances.neighbours(
            embeddings: faces.embeddings, dimension: faces.dimension, joins: settings.joins)
        guard graph.count == faces.paths.count else {
            throw UserError("\(graph.count) embeddings for \(faces.paths.count) image paths")
        }
        let clusters = settings.cluster(graph)
        try output.write(clusters: clusters, paths: faces.paths, root: faces.root, locations: faces.locations)
        return Report(clusters: clusters, scores: faces.identities.map { PairwiseScores(clusters: clusters, identities: $0) })
    }
}
