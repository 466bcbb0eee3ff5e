import CFaiss

/// A failure inside FAISS (through CFaiss): the C++ exception's message.
public struct FaissError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Runs a CFaiss call; a non-zero status becomes a `FaissError` with the shim's message.
@discardableResult
func faissCall(_ status: Int32) throws -> Int32 {
    guard status == 0 else { throw FaissError(description: "FAISS: " + String(cString: fs_last_error())) }
    return status
}

/// One FAISS IndexHNSWFlat with inner product over unit vectors, owning its handle. Rows are labelled
/// 0, 1, ... in the order added. Searching is read-only on FAISS's side and safe from several threads.
final class HNSW: @unchecked Sendable {
    let dimension: Int
    private let handle: OpaquePointer

    init(dimension: Int, parameters: HNSWParameters) throws {
        try parameters.validate()
        var out: OpaquePointer?
        try faissCall(fs_hnsw_create(&out, Int32(dimension), Int32(parameters.m), Int32(parameters.efConstruction)))
        self.dimension = dimension
        handle = out!
        try faissCall(fs_hnsw_set_ef_search(handle, Int32(parameters.efSearch)))
    }

    deinit { fs_hnsw_free(handle) }

    var count: Int {
        var n: Int64 = 0
        _ = fs_hnsw_count(&n, handle)
        return Int(n)
    }

    /// Adds `vectors.count / dimension` rows.
    func add(_ vectors: [Float]) throws {
        precondition(vectors.count % dimension == 0)
        try faissCall(fs_hnsw_add(handle, Int64(vectors.count / dimension), vectors))
    }

    /// The `k` most similar rows of each query ([n * dimension] floats): [n * k] cosines, largest first, and
    /// labels (-1 where fewer than k were found).
    func search(_ queries: [Float], k: Int) throws -> (similarities: [Float], labels: [Int64]) {
        try search(queries, k: k, with: fs_hnsw_search)
    }

    /// The same as `search`, exactly: every stored row compared (no graph).
    func searchExact(_ queries: [Float], k: Int) throws -> (similarities: [Float], labels: [Int64]) {
        try search(queries, k: k, with: fs_hnsw_search_exact)
    }

    private func search(
        _ queries: [Float], k: Int,
        with call: (UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Int64>?, OpaquePointer?, Int64, UnsafePointer<Float>?, Int32) -> Int32
    ) throws -> (similarities: [Float], labels: [Int64]) {
        precondition(queries.count % dimension == 0 && k >= 1)
        let n = queries.count / dimension
        var similarities = [Float](repeating: 0, count: n * k)
        var labels = [Int64](repeating: -1, count: n * k)
        try faissCall(call(&similarities, &labels, handle, Int64(n), queries, Int32(k)))
        return (similarities, labels)
    }

    /// The size of FAISS's OpenMP pool (libgomp's, shared by every index).
    static func setThreads(_ n: Int) throws { try faissCall(fs_runtime_set_num_threads(Int32(n))) }
}
