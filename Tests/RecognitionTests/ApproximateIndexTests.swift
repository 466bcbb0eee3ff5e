import Foundation
import Gallery
import Recognition
import Support
import TestSupport
import XCTest

/// HNSW (FAISS) against the exact search as the independent reference: the same rows, the same probes.
final class ApproximateIndexTests: XCTestCase {
    /// SplitMix64 (Steele, Lea and Flood 2014) and Box-Muller normals: the same set on every run.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func normal() -> Double {
            (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform())
        }
        mutating func unit(_ d: Int, around centre: [Float]? = nil, spread: Double = 1) -> [Float] {
            var v = (0..<d).map { j in Float((centre.map { Double($0[j]) } ?? 0) + spread * normal()) }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in v.indices { v[j] /= n }
            return v
        }
    }

    /// 2,000 unit vectors in 50 tight clusters (one identity each, 40 faces) and 500 probes near the centres.
    static func clustered(d: Int = 128) -> (rows: GalleryRows, probes: [[Float]]) {
        var random = Random(state: 13)
        let centres = (0..<50).map { _ in random.unit(d) }
        let spread = 0.3 / Double(d).squareRoot()  // a face ~0.3 from its centre, centres ~1.4 apart
        var vectors: [Float] = []
        var identityOfRow: [Int] = []
        for (c, centre) in centres.enumerated() {
            for _ in 0..<40 {
                vectors += random.unit(d, around: centre, spread: spread)
                identityOfRow.append(c)
            }
        }
        let probes = (0..<500).map { i in random.unit(d, around: centres[i % 50], spread: spread) }
        let rows = GalleryRows(
            dimension: d, names: (0..<50).map { String(format: "id%02d", $0) }, faceIds: (0..<2000).map { Int64($0 + 1) },
            identityOfRow: identityOfRow, vectors: vectors)
        return (rows, probes)
    }

    /// Top-1 agreement of HNSW with exact search and the largest distance difference where the same face
    /// (rule min) or identity (rule mean) is found.
    func agreement(_ rows: GalleryRows, _ probes: [[Float]], rule: MatchRule, parameters: HNSWParameters = HNSWParameters(),
        allFound: Bool = true)
        throws -> (fraction: Double, maxDifference: Double)
    {
        let exact = try GalleryIndex(rows).search(probes, rule: rule, k: 5)
        let approximate = try ApproximateIndex(rows, parameters: parameters).search(probes, rule: rule, k: 5)
        var same = 0
        var maxDifference = 0.0
        for (e, a) in zip(exact, approximate) {
            if allFound { XCTAssertEqual(a.count, e.count, "k identities") }
            XCTAssertEqual(a.map(\.distance), a.map(\.distance).sorted(), "nearest first")
            XCTAssertEqual(Set(a.map(\.name)).count, a.count, "one candidate per identity")
            guard let e0 = e.first, let a0 = a.first, e0.name == a0.name, e0.faceId == a0.faceId else { continue }
            same += 1
            maxDifference = max(maxDifference, abs(e0.distance - a0.distance))
        }
        return (Double(same) / Double(probes.count), maxDifference)
    }

    func testClusteredRuleMinMatchesExactSearch() throws {
        let (rows, probes) = Self.clustered()
        let (fraction, difference) = try agreement(rows, probes, rule: .min)
        XCTAssertGreaterThanOrEqual(fraction, 0.99, "top-1 face equal to exact search's")
        XCTAssertLessThanOrEqual(difference, 1e-5)
    }

    func testClusteredRuleMeanMatchesExactSearch() throws {
        let (rows, probes) = Self.clustered()
        let (fraction, difference) = try agreement(rows, probes, rule: .mean)
        XCTAssertGreaterThanOrEqual(fraction, 0.99)
        XCTAssertLessThanOrEqual(difference, 1e-5)
    }

    /// A graph too sparse to navigate (M 2, efSearch 1) misses faces the exact search finds (and may reach
    /// fewer than k): the comparison above can fail.
    func testStarvedGraphDisagrees() throws {
        var random = Random(state: 7)
        let d = 32
        let vectors = (0..<3000).flatMap { _ in random.unit(d) }
        let rows = GalleryRows(
            dimension: d, names: (0..<3000).map { "p\($0)" }, faceIds: (0..<3000).map { Int64($0) },
            identityOfRow: Array(0..<3000), vectors: vectors)
        let probes = (0..<300).map { _ in random.unit(d) }
        let (fraction, _) = try agreement(rows, probes, rule: .min, parameters: HNSWParameters(m: 2, efSearch: 1), allFound: false)
        XCTAssertLessThan(fraction, 0.99)
    }

    /// Rule min with k identities when each identity has many faces: the nearest faces are searched again
    /// for more until k distinct identities are found.
    func testRuleMinFindsKIdentities() throws {
        let (rows, probes) = Self.clustered()
        let index = try ApproximateIndex(rows, parameters: HNSWParameters(efSearch: 16))
        for result in try index.search(Array(probes.prefix(20)), rule: .min, k: 10) {
            XCTAssertEqual(result.count, 10)
        }
    }

    func testBadParametersRefused() throws {
        let (rows, _) = Self.clustered(d: 8)
        for (parameters, message) in [
            (HNSWParameters(m: 1), "--hnsw-m must be in 2...256, got 1"),
            (HNSWParameters(efSearch: 0), "--ef-search must be in 1...65536, got 0"),
            (HNSWParameters(efConstruction: 0), "efConstruction must be in 1...65536, got 0"),
        ] {
            XCTAssertThrowsError(try ApproximateIndex(rows, parameters: parameters)) {
                XCTAssertEqual(($0 as? UserError)?.message, message)
            }
        }
    }

    func testEmptyGallery() throws {
        let rows = GalleryRows(dimension: 4, names: [], faceIds: [], identityOfRow: [], vectors: [])
        let index = try ApproximateIndex(rows)
        XCTAssertEqual(try index.search([[1, 0, 0, 0]], rule: .min, k: 3), [[]])
    }

    /// Recall@1 on real faces: LFW's 1,220 enrolled faces (FACENET_REAL_GALLERY, default the open-set bench's
    /// gallery), every fifth held out as a probe against the other four fifths.
    func testRealFacesRecall() throws {
        let source = ProcessInfo.processInfo.environment["FACENET_REAL_GALLERY"] ?? Reference.repositoryRoot + "/out/openset/gallery.db"  // written by bench/openset/run.sh
        guard FileManager.default.fileExists(atPath: source) else { throw XCTSkip("no real gallery at \(source)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnsw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
            try FileManager.default.copyItem(atPath: source + suffix, toPath: folder + "/g.db" + suffix)
        }
        let all = try GalleryRows(SQLiteGallery(opening: folder + "/g.db", readOnly: true))
        let d = all.dimension
        var (kept, probes) = ([Int](), [[Float]]())
        for row in all.faceIds.indices {
            if row % 5 == 4 { probes.append(Array(all.vectors[row * d..<(row + 1) * d])) } else { kept.append(row) }
        }
        let rows = GalleryRows(
            dimension: d, names: all.names, faceIds: kept.map { all.faceIds[$0] },
            identityOfRow: kept.map { all.identityOfRow[$0] }, vectors: kept.flatMap { all.vectors[$0 * d..<($0 + 1) * d] })
        XCTAssertGreaterThan(probes.count, 200)
        for rule in MatchRule.allCases {
            let (fraction, difference) = try agreement(rows, probes, rule: rule)
            print("real faces, rule \(rule): recall@1 \(fraction) over \(probes.count) probes, \(rows.faceIds.count) faces")
            XCTAssertGreaterThanOrEqual(fraction, 0.99)
            XCTAssertLessThanOrEqual(difference, 1e-5)
        }
    }
}
