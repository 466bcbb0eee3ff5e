import Gallery

/// A gallery's faces searched approximately through FAISS's HNSW (`--index hnsw`), for galleries where the
/// exact product grows too slow. Rule min: one graph over the unit face rows, its nearest faces grouped by
/// identity; rule mean: a second graph over the identities' renormalised means. Distances are computed
/// as `GalleryIndex` computes them (squared L2 of unit vectors from the inner product), so where both find
/// the same face they agree to rounding.
public final class ApproximateIndex: FaceSearch, @unchecked Sendable {
    public let dimension: Int
    public let names: [String]
    public let parameters: HNSWParameters
    let faceIds: [Int64]
    let identityOfRow: [Int]
    let faces: HNSW
    let means: HNSW

    public var faceCount: Int { faceIds.count }
    public var identityCount: Int { names.count }

    public init(_ rows: GalleryRows, parameters: HNSWParameters = HNSWParameters()) throws {
        try parameters.validate()
        let d = rows.dimension
        (dimension, names, faceIds, identityOfRow, self.parameters) =
            (d, rows.names, rows.faceIds, rows.identityOfRow, parameters)
        faces = try HNSW(dimension: d, parameters: parameters)
        means = try HNSW(dimension: d, parameters: parameters)
        try faces.add(UnitRows.normalized(rows.vectors, dimension: d))
        var sums = [Float](repeating: 0, count: rows.names.count * d)
        for (row, identity) in rows.identityOfRow.enumerated() {
            for j in 0..<d { sums[identity * d + j] += rows.vectors[row * d + j] }
        }
        try means.add(UnitRows.normalized(sums, dimension: d))
    }

    /// The index of every face of `gallery` (identities without faces are left out).
    public convenience init(_ gallery: any GalleryStore, parameters: HNSWParameters = HNSWParameters()) throws {
        try self.init(try GalleryRows(gallery), parameters: parameters)
    }

    public func search(_ probes: [[Float]], rule: MatchRule, k: Int) throws -> [[Candidate]] {
        guard !faceIds.isEmpty, !probes.isEmpty else { return probes.map { _ in [] } }
        let k = max(1, min(k, names.count))
        let queries = UnitRows.normalized(probes.flatMap { $0 }, dimension: dimension)
        switch rule {
        case .mean:
            let (s, labels) = try means.search(queries, k: k)
            return (0..<probes.count).map { q in
                (0..<k).compactMap { j in
                    let label = labels[q * k + j]
                    guard label >= 0 else { return nil }
                    return Candidate(name: names[Int(label)], distance: GalleryIndex.distance(s[q * k + j]), faceId: nil)
                }
            }
        case .min:
            return try nearestIdentities(queries, count: probes.count, k: k)
        }
    }

    /// Rule min: the nearest faces grouped by identity (each identity at its closest face found). Probes whose
    /// nearest faces hold fewer than `k` identities are searched again for twice as many faces; the round that
    /// asks for all faces scans them exactly (the graph may not reach every face: seen with 50 tight clusters
    /// of 40, where 2 runs in 3 found only 9 of 10 identities through the graph alone).
    func nearestIdentities(_ queries: [Float], count: Int, k: Int) throws -> [[Candidate]] {
        var results = [[Candidate]](repeating: [], count: count)
        var pending = Array(0..<count)
        var faceK = min(faceCount, max(4 * k, parameters.efSearch))
        while !pending.isEmpty {
            let part = pending.flatMap { queries[$0 * dimension..<($0 + 1) * dimension] }
            let (s, labels) = faceK < faceCount ? try faces.search(part, k: faceK) : try faces.searchExact(part, k: faceK)
            var again: [Int] = []
            for (p, q) in pending.enumerated() {
                var seen = Set<Int>()
                var found: [Candidate] = []
                for j in 0..<faceK {
                    let label = labels[p * faceK + j]
                    guard label >= 0 else { break }
                    let row = Int(label)
                    guard seen.insert(identityOfRow[row]).inserted else { continue }
                    found.append(
                        Candidate(
                            name: names[identityOfRow[row]], distance: GalleryIndex.distance(s[p * faceK + j]),
                            faceId: faceIds[row]))
                    if found.count == k { break }
                }
                results[q] = found
                if found.count < k && faceK < faceCount { again.append(q) }
            }
            pending = again
            faceK = min(faceCount, faceK * 2)
        }
        return results
    }

    /// The size of FAISS's OpenMP pool (shared by every index in the process).
    public static func setThreads(_ n: Int) throws { try HNSW.setThreads(n) }
}
