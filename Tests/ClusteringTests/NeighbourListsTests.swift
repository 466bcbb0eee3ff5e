@testable import Clustering
import Support
import TorchBridge
import XCTest

/// The blocked neighbour lists against lists worked out in Double straight from the definition (squared L2
/// of the normalised rows), at thresholds at least 1e-4 from every pair's distance, so that float rounding
/// cannot decide a pair. Blocks of 1, 7 and 200 rows (one block) must all give the reference.
final class NeighbourListsTests: XCTestCase {
    /// 60 rows in 6-D, around 5 centres (so that some thresholds join groups and others do not).
    func rows() -> (raw: [Float], unit: [[Double]]) {
        var generator = SeededRandom(seed: 3)
        func uniform() -> Double { Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1 }
        let centres = (0..<5).map { _ in (0..<6).map { _ in uniform() } }
        let raw = (0..<60).flatMap { i in centres[i % 5].map { Float($0 + 0.35 * uniform()) } }
        let unit = (0..<60).map { i -> [Double] in
            let row = raw[(i * 6)..<((i + 1) * 6)].map(Double.init)
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / norm }
        }
        return (raw, unit)
    }

    /// Squared distances of the unit rows in Double, and the nearest threshold at or above `wanted` that no
    /// pair is within 1e-4 of.
    func distances(_ unit: [[Double]]) -> [[Double]] {
        unit.map { a in unit.map { b in zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } }
    }

    func clearThreshold(near wanted: Double, _ d: [[Double]]) throws -> Double {
        let pairs = d.indices.flatMap { i in ((i + 1)..<d.count).map { d[i][$0] } }
        let t = stride(from: wanted, to: wanted + 0.05, by: 1e-4).first { t in pairs.allSatisfy { abs($0 - t) > 1e-4 } }
        return try XCTUnwrap(t, "no clear threshold near \(wanted)")
    }

    func testBlockedListsEqualTheDefinition() throws {
        let (raw, unit) = rows()
        let d = distances(unit)
        let n = unit.count
        for wanted in [0.05, 0.2, 0.5, 1.0, 1.6] {
            let threshold = try clearThreshold(near: wanted, d)
            let expected = (0..<n).map { i in [i] + (0..<n).filter { $0 != i && d[i][$0] < threshold } }
            let joined = expected.map { $0.count - 1 }.reduce(0, +)
            XCTAssertTrue(joined > 0 && joined < n * (n - 1), "threshold \(threshold) joins \(joined) of \(n * (n - 1))")
            for block in [1, 7, 200] {
                let ours = try EmbeddingDistances.neighbours(
                    embeddings: raw, dimension: 6, joins: { Double($0) < threshold }, blockRows: block)
                XCTAssertEqual(ours.lists, expected, "threshold \(threshold), blocks of \(block)")
            }
        }
    }

    /// Both clusterings give the same clusters from the dense matrix and from lists built in blocks of 4 rows.
    func testDenseAndBlockedListsClusterTheSame() throws {
        let (raw, unit) = rows()
        let threshold = try clearThreshold(near: 0.3, distances(unit))
        for algorithm in ClusteringAlgorithm.allCases {
            let settings = ClusteringSettings(algorithm: algorithm, threshold: threshold)
            let dense = settings.cluster(try EmbeddingDistances.matrix(embeddings: raw, dimension: 6))
            let blocked = settings.cluster(
                try EmbeddingDistances.neighbours(embeddings: raw, dimension: 6, joins: settings.joins, blockRows: 4))
            XCTAssertEqual(dense, blocked, "\(algorithm)")
            XCTAssertGreaterThan(dense.members.filter { $0.count > 1 }.count, 1, "\(algorithm): several clusters of more than one")
        }
    }
}
