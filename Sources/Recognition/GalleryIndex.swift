import Foundation
import Gallery
import Support
import TorchBridge

/// A probe's distance to one identity.
public struct Candidate: Equatable, Sendable {
    public let name: String
    /// Squared L2 distance of unit vectors (eval's), in [0, 4].
    public let distance: Double
    /// The face of the gallery it matched (rule min), or nil (rule mean).
    public let faceId: Int64?

    /// Cosine similarity of the same vectors: 1 - distance / 2.
    public var cosine: Double { 1 - distance / 2 }
}

/// Every gallery face in memory, searched exactly: one matrix product (libtorch) between the probes and
/// the gallery, then the nearest faces grouped by identity. A million 128-D faces take 512 MB.
public final class GalleryIndex: @unchecked Sendable {
    public let dimension: Int
    /// Identity names, sorted; `identityOfRow[i]` indexes it.
    public let names: [String]
    let faceIds: [Int64]
    let identityOfRow: [Int]
    /// [faces, D] unit rows.
    let matrix: Tensor?
    /// [identities, D] renormalised means.
    let means: Tensor?

    public var faceCount: Int { faceIds.count }
    public var identityCount: Int { names.count }

    public init(dimension: Int, names: [String], faceIds: [Int64], identityOfRow: [Int], vectors: [Float]) throws {
        precondition(vectors.count == faceIds.count * dimension && identityOfRow.count == faceIds.count)
        self.dimension = dimension
        self.names = names
        self.faceIds = faceIds
        self.identityOfRow = identityOfRow
        guard !faceIds.isEmpty else {
            (matrix, means) = (nil, nil)
            return
        }
        let rows = try Tensor(vectors, shape: [faceIds.count, dimension])
        matrix = try Self.normalized(rows)
        var sums = [Float](repeating: 0, count: names.count * dimension)
        for (row, identity) in identityOfRow.enumerated() {
            for d in 0..<dimension { sums[identity * dimension + d] += vectors[row * dimension + d] }
        }
        means = try Self.normalized(Tensor(sums, shape: [names.count, dimension]))
    }

    /// The index of every face of `gallery` (identities without faces are left out).
    public convenience init(_ gallery: any GalleryStore) throws {
        try self.init(try GalleryRows(gallery))
    }

    static func normalized(_ rows: Tensor) throws -> Tensor {
        try rows / (try rows.square().sum(dims: [1], keepDim: true).sqrt().clamped(min: 1e-12))
    }

    /// For each probe (unit vectors, [Q * D] floats), the `k` nearest identities by `rule`, nearest first.
    public func search(_ probes: [[Float]], rule: MatchRule, k: Int) throws -> [[Candidate]] {
        guard let matrix, let means, !probes.isEmpty else { return probes.map { _ in [] } }
        let k = max(1, min(k, names.count))
        var results: [[Candidate]] = []
        // Queries in chunks so that the [chunk, faces] similarity block stays near 64M floats (256 MB).
        let chunk = max(1, min(probes.count, 64_000_000 / max(faceIds.count, 1)))
        for start in stride(from: 0, to: probes.count, by: chunk) {
            let part = Array(probes[start..<min(probes.count, start + chunk)])
            if part.count == 1 {
                results.append(try searchOne(UnitRows.normalized(part[0], dimension: dimension), rule: rule, k: k))
                continue
            }
            let queries = try Self.normalized(Tensor(part.flatMap { $0 }, shape: [part.count, dimension]))
            switch rule {
            case .mean:
                let similarity = try queries.matmul(means.t)  // [q, identities]
                let (values, indices) = try similarity.topk(k, dim: 1)
                let v = try values.floats()
                let i = try indices.toArray(Int64.self)
                for q in 0..<part.count {
                    results.append(
                        (0..<k).map { j in
                            Candidate(name: names[Int(i[q * k + j])], distance: Self.distance(v[q * k + j]), faceId: nil)
                        })
                }
            case .min:
                let similarity = try queries.matmul(matrix.t).floats()  // [q, faces]
                let n = faceIds.count
                for q in 0..<part.count {
                    results.append(nearestIdentities(similarity[(q * n)..<((q + 1) * n)], k: k))
                }
            }
        }
        return results
    }

    /// One probe ([D] floats, unit): its dot product with every row read in place (`DotProducts`, as NumPy's
    /// `gallery @ q`; libtorch's [1, D] x [D, n] product and `topk` cost 3-4x NumPy per probe here,
    /// docs/benchmarks.md) and the top k in one pass.
    func searchOne(_ query: [Float], rule: MatchRule, k: Int) throws -> [Candidate] {
        guard let matrix, let means else { return [] }
        switch rule {
        case .mean:
            let similarity = try means.withBorrowedElements(Float.self) {
                DotProducts.of($0, dimension: dimension, with: query, threads: Torch.threads)
            }
            return Self.largest(similarity, k: k).map {
                Candidate(name: names[$0], distance: Self.distance(similarity[$0]), faceId: nil)
            }
        case .min:
            let similarity = try matrix.withBorrowedElements(Float.self) {
                DotProducts.of($0, dimension: dimension, with: query, threads: Torch.threads)
            }
            return nearestIdentities(similarity[...], k: k)
        }
    }

    /// Rule min for one probe's similarity to every face: each identity's best face, then the k best identities.
    func nearestIdentities(_ similarity: ArraySlice<Float>, k: Int) -> [Candidate] {
        var best = [Float](repeating: -2, count: names.count)
        var bestRow = [Int](repeating: -1, count: names.count)
        for (row, value) in zip(0..., similarity) where value > best[identityOfRow[row]] {
            best[identityOfRow[row]] = value
            bestRow[identityOfRow[row]] = row
        }
        return Self.largest(best, k: k).map {
            Candidate(name: names[$0], distance: Self.distance(best[$0]), faceId: faceIds[bestRow[$0]])
        }
    }

    /// The indices of the `k` largest values, largest first, ties by index: one pass keeping a sorted list of k
    /// (n k comparisons at worst, against n log n for sorting every identity of a large gallery per probe).
    static func largest(_ values: [Float], k: Int) -> [Int] {
        var top: [Int] = []
        top.reserveCapacity(k + 1)
        for i in values.indices {
            if top.count == k, let last = top.last, values[i] <= values[last] { continue }
            // Insert after every kept index whose value is >= values[i] (earlier indices win ties).
            var at = top.count
            while at > 0 && values[top[at - 1]] < values[i] { at -= 1 }
            top.insert(i, at: at)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    /// Squared L2 distance of unit vectors from their dot product, clamped to [0, 4] against rounding.
    static func distance(_ similarity: Float) -> Double { Swift.min(4, Swift.max(0, 2 - 2 * Double(similarity))) }
}
