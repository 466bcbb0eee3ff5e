import Support
import TorchBridge
import TripletMining

/// The distance every clustering uses: squared L2 between L2-normalised embeddings, in [0, 4], the same
/// quantity as `facenet eval`'s default metric (`DistanceMetric.euclidean`, davidsandberg's
/// `distance_metric=0`), so thresholds read the same way in both.
public enum EmbeddingDistances {
    /// The `count x count` matrix of the rows of `embeddings` (row-major, `dimension` Floats per row).
    /// Rows are normalised here (a file written by another tool need not be); a row of norm 0 is refused,
    /// it has no direction. The product itself is libtorch's (`DistanceMatrix`, one matrix multiply).
    /// For small inputs and tests: clustering reads `neighbours`, which never holds the whole matrix.
    public static func matrix(embeddings: [Float], dimension: Int) throws -> DistanceMatrix {
        let rows = try normalisedRows(embeddings: embeddings, dimension: dimension)
        guard let rows else { return DistanceMatrix(count: 0, values: []) }
        return try DistanceMatrix(embeddings: rows)
    }

    /// The neighbour lists of the same distances, computed a block of rows at a time (`NeighbourLists`).
    public static func neighbours(
        embeddings: [Float], dimension: Int, joins: (Float) -> Bool, blockRows: Int? = nil
    ) throws -> NeighbourLists {
        let rows = try normalisedRows(embeddings: embeddings, dimension: dimension)
        guard let rows else { return NeighbourLists(DistanceMatrix(count: 0, values: []), joins: joins) }
        return try NeighbourLists(rows: rows, joins: joins, blockRows: blockRows)
    }

    /// The rows normalised ([count, dimension]), or nil for none.
    static func normalisedRows(embeddings: [Float], dimension: Int) throws -> Tensor? {
        guard dimension > 0, embeddings.count % dimension == 0 else {
            throw UserError("\(embeddings.count) embedding values do not form rows of dimension \(dimension)")
        }
        let count = embeddings.count / dimension
        var normalised = embeddings
        for i in 0..<count {
            let row = (i * dimension)..<((i + 1) * dimension)
            let norm = embeddings[row].reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else {
                throw UserError("embedding \(i) has norm \(norm): it cannot be normalised")
            }
            for k in row { normalised[k] /= norm }
        }
        guard count > 0 else { return nil }
        return try Tensor(normalised, shape: [count, dimension])
    }
}
