import TripletMining

/// DBSCAN (M. Ester, H.-P. Kriegel, J. Sander, X. Xu, "A Density-Based Algorithm for Discovering Clusters
/// in Large Spatial Databases with Noise", KDD 1996) with scikit-learn's semantics
/// (`sklearn.cluster.DBSCAN(eps, min_samples, metric="precomputed")`):
/// - the neighbours of a face are the faces at distance <= eps, itself included;
/// - a face with at least `minSamples` neighbours is a core face;
/// - clusters grow from core faces in index order; a border face (not core, but a neighbour of a core face)
///   joins the first cluster that reaches it; faces no cluster reaches are noise.
public struct DBSCAN: Sendable {
    /// With 1, every face is core: the clusters are the connected components of the eps-graph.
    public static let defaultMinSamples = 1

    public var eps: Double
    public var minSamples: Int

    public init(eps: Double, minSamples: Int = DBSCAN.defaultMinSamples) {
        precondition(minSamples >= 1, "DBSCAN needs minSamples >= 1, got \(minSamples)")
        self.eps = eps
        self.minSamples = minSamples
    }

    /// Whether two faces at squared distance `d` are neighbours: at most eps (scikit-learn's radius).
    public func joins(_ d: Float) -> Bool { Double(d) <= eps }

    public func cluster(_ distances: DistanceMatrix) -> Clusters { cluster(NeighbourLists(distances, joins: joins)) }

    /// On neighbour lists built with `joins` (each face's own place in its list does not change the result:
    /// a cluster grows to all it reaches before the next begins).
    public func cluster(_ graph: NeighbourLists) -> Clusters {
        let n = graph.count
        let neighbours = graph.lists
        let isCore = neighbours.map { $0.count >= minSamples }
        var labels = [Int](repeating: Clusters.noiseLabel, count: n)
        var next = 0
        for seed in 0..<n where labels[seed] == Clusters.noiseLabel && isCore[seed] {
            var stack = [seed]
            while let face = stack.popLast() {
                guard labels[face] == Clusters.noiseLabel else { continue }
                labels[face] = next
                if isCore[face] { stack += neighbours[face].filter { labels[$0] == Clusters.noiseLabel } }
            }
            next += 1
        }
        return Clusters(rawLabels: labels)
    }
}
