import Foundation

/// `facenet gallery bench-search` (bench/search): the latency of one index kind per probe and per batch of
/// probes, and for HNSW its recall@1 against the exact search of the same rows (the same top-1 face, or
/// identity with rule mean).
public struct SearchBenchmark {
    public var kind: SearchIndexKind = .exact
    public var rule: MatchRule = .mean
    public var parameters = HNSWParameters()
    /// Probes searched one at a time (their mean latency is reported).
    public var singleProbes = 200
    /// Probes searched in one call.
    public var batch = 1000
    public var k = 5

    public init() {}

    public struct Result: Sendable {
        public var faces = 0
        public var buildSeconds = 0.0
        public var secondsPerProbe = 0.0
        public var secondsPerBatch = 0.0
        /// HNSW only: the fraction of probes whose top-1 equals the exact search's.
        public var recallAt1: Double?
    }

    /// `faces` random unit vectors (Gaussian directions, SplitMix64 from `seed`), one identity each, and
    /// `probes` more as probes.
    public static func random(faces: Int, probes: Int, dimension: Int, seed: UInt64) -> (GalleryRows, [[Float]]) {
        var state = seed
        func normal() -> Float {
            func next() -> Double {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
            }
            return Float((-2 * log(max(next(), 1e-300))).squareRoot() * cos(2 * .pi * next()))
        }
        let vectors = UnitRows.normalized((0..<faces * dimension).map { _ in normal() }, dimension: dimension)
        let queries = UnitRows.normalized((0..<probes * dimension).map { _ in normal() }, dimension: dimension)
        let rows = GalleryRows(
            dimension: dimension, names: (0..<faces).map { String(format: "r%07d", $0) },
            faceIds: (0..<faces).map { Int64($0 + 1) }, identityOfRow: Array(0..<faces), vectors: vectors)
        return (rows, (0..<probes).map { Array(queries[$0 * dimension..<($0 + 1) * dimension]) })
    }

    /// Every `every`-th face held out as a probe; the index holds the others.
    public static func heldOut(_ all: GalleryRows, every: Int = 5) -> (GalleryRows, [[Float]]) {
        let d = all.dimension
        var (kept, probes) = ([Int](), [[Float]]())
        for row in all.faceIds.indices {
            if row % every == every - 1 { probes.append(Array(all.vectors[row * d..<(row + 1) * d])) } else { kept.append(row) }
        }
        let rows = GalleryRows(
            dimension: d, names: all.names, faceIds: kept.map { all.faceIds[$0] },
            identityOfRow: kept.map { all.identityOfRow[$0] }, vectors: kept.flatMap { all.vectors[$0 * d..<($0 + 1) * d] })
        return (rows, probes)
    }

    public func run(_ rows: GalleryRows, probes: [[Float]]) throws -> Result {
        var result = Result(faces: rows.faceIds.count)
        let start = Date()
        let index: any FaceSearch = kind == .exact ? try GalleryIndex(rows) : try ApproximateIndex(rows, parameters: parameters)
        result.buildSeconds = Date().timeIntervalSince(start)
        let singles = Array(probes.prefix(singleProbes))
        _ = try index.search([singles[0]], rule: rule, k: k)  // warm-up
        var t = Date()
        var found: [[Candidate]] = []
        for probe in singles { found += try index.search([probe], rule: rule, k: k) }
        result.secondsPerProbe = Date().timeIntervalSince(t) / Double(singles.count)
        let batchProbes = Array(probes.prefix(batch))
        t = Date()
        let batchFound = try index.search(batchProbes, rule: rule, k: k)
        result.secondsPerBatch = Date().timeIntervalSince(t)
        if kind == .hnsw {
            let exact = try GalleryIndex(rows).search(batchProbes, rule: rule, k: 1)
            let same = zip(exact, batchFound).filter { e, a in
                e.first?.name == a.first?.name && e.first?.faceId == a.first?.faceId
            }.count
            result.recallAt1 = Double(same) / Double(batchProbes.count)
        }
        _ = found
        return result
    }
}
