import TorchBridge
import TripletMining

/// Each face's neighbours: itself first, then, in index order, every other face whose squared distance to it
/// the clustering's rule joins (`ClusteringSettings.joins`). Both clusterings read only these lists, so a
/// large collection never holds its n x n distances: `init(rows:)` computes them a block of rows at a time
/// and keeps the joined pairs. 50,000 faces would be a 10 GB matrix; here a block stays under 64 MB and the
/// lists grow with the pairs joined.
public struct NeighbourLists: Sendable, Equatable {
    public let lists: [[Int]]

    public var count: Int { lists.count }

    /// From distances already computed (the hand-worked tests).
    public init(_ distances: DistanceMatrix, joins: (Float) -> Bool) {
        let n = distances.count
        lists = (0..<n).map { i in [i] + (0..<n).filter { j in j != i && joins(distances[i, j]) } }
    }

    /// From L2-normalised rows ([n, D]): the distances of `blockRows` rows to all rows at a time, each block
    /// the same libtorch computation as `DistanceMatrix` (squared norms plus a matrix product); a pair within
    /// float rounding of the threshold may fall either way, as it may there.
    public init(rows: Tensor, joins: (Float) -> Bool, blockRows: Int? = nil) throws {
        let n = rows.shape[0]
        let block = max(1, blockRows ?? (16 << 20) / max(n, 1))  // 16M floats: 64 MB
        var lists: [[Int]] = []
        lists.reserveCapacity(n)
        try withNoGrad {
            for start in stride(from: 0, to: n, by: block) {
                let part = try rows.narrowed(dim: 0, start..<min(n, start + block))
                let distances = try F.pairwiseSquaredDistances(part, rows).floats()
                for r in 0..<part.shape[0] {
                    let i = start + r
                    var list = [i]
                    for j in 0..<n where j != i && joins(distances[r * n + j]) { list.append(j) }
                    lists.append(list)
                }
            }
        }
        self.lists = lists
    }
}
