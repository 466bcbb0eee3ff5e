import TripletMining

/// Chinese whispers graph clustering (C. Biemann, "Chinese Whispers - an Efficient Graph Clustering
/// Algorithm and its Application to Natural Language Processing Problems", TextGraphs 2006), on the graph
/// that dlib's `chinese_whispers_clustering` builds for face descriptors: an edge of weight 1 between two
/// faces closer than the threshold, and every face joined to itself (dlib's loop starts `j = i`).
///
/// Every node starts with its own label. In each iteration the nodes are visited in a fresh random order
/// (Biemann's formulation; dlib draws `N` nodes with replacement per iteration instead) and each takes the
/// label with the largest summed edge weight among its neighbours, itself included; a tie goes to the
/// smallest label (dlib keeps the first maximum of a `std::map` ordered by label). An iteration that changes
/// no label is a fixed point, so the run stops there. Deterministic for a given generator state.
public struct ChineseWhispers: Sendable {
    /// dlib's default `num_iterations`.
    public static let defaultIterations = 100

    /// Squared distance below which two faces are joined.
    public var threshold: Double
    public var iterations: Int

    public init(threshold: Double, iterations: Int = ChineseWhispers.defaultIterations) {
        self.threshold = threshold
        self.iterations = iterations
    }

    /// Whether two faces at squared distance `d` are joined: strictly below the threshold (dlib's rule).
    public func joins(_ d: Float) -> Bool { Double(d) < threshold }

    /// Each node's neighbours (itself first, then the others in index order).
    func neighbours(_ distances: DistanceMatrix) -> [[Int]] { NeighbourLists(distances, joins: joins).lists }

    public func cluster<G: RandomNumberGenerator>(_ distances: DistanceMatrix, generator: inout G) -> Clusters {
        cluster(NeighbourLists(distances, joins: joins), generator: &generator)
    }

    /// On neighbour lists built with `joins`.
    public func cluster<G: RandomNumberGenerator>(_ graph: NeighbourLists, generator: inout G) -> Clusters {
        var order = Array(0..<graph.count)
        return propagate(graph.lists) {
            Self.shuffle(&order, generator: &generator)
            return order
        }
    }

    /// The label propagation itself, on a graph given as neighbour lists, visiting the nodes of each
    /// iteration in the order `nextOrder` returns (the tests give orders worked out by hand).
    func propagate(_ graph: [[Int]], nextOrder: () -> [Int]) -> Clusters {
        var labels = Array(0..<graph.count)
        var weights = [Int](repeating: 0, count: graph.count)  // summed weight per label, reset after use
        for _ in 0..<iterations {
            var changed = false
            for node in nextOrder() {
                var best = labels[node]
                var bestWeight = 0
                for other in graph[node] { weights[labels[other]] += 1 }
                for other in graph[node] {
                    let label = labels[other]
                    let weight = weights[label]
                    if weight > bestWeight || (weight == bestWeight && label < best) {
                        best = label
                        bestWeight = weight
                    }
                }
                for other in graph[node] { weights[labels[other]] = 0 }
                if best != labels[node] {
                    labels[node] = best
                    changed = true
                }
            }
            if !changed { break }
        }
        return Clusters(rawLabels: labels)
    }

    /// Fisher-Yates with an unbiased bounded draw, written out so that the order for a seed does not depend
    /// on the standard library's `shuffle` (whose algorithm is not specified).
    static func shuffle<G: RandomNumberGenerator>(_ values: inout [Int], generator: inout G) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(generator.next(upperBound: UInt64(i + 1)))
            values.swapAt(i, j)
        }
    }
}
