@testable import Clustering
import Foundation
import TestSupport
import TripletMining
import XCTest
import Support

/// DBSCAN against scikit-learn's `DBSCAN(eps, min_samples, metric="precomputed")` on the very same distance
/// matrix (written with 17 significant digits, so float64 reads back the exact values), compared as
/// partitions after canonical relabelling.
final class DBSCANReferenceTests: XCTestCase {
    /// Unit vectors in 8-D: uniform directions, or around `centres` with a spread.
    func embeddings(count: Int, centres: Int, spread: Float, seed: UInt64) -> [Float] {
        var generator = SeededRandom(seed: seed)
        func gaussian() -> Float {
            // Box-Muller from two uniforms in (0, 1].
            let u = Float(generator.next() >> 40 + 1) / Float(1 << 24)
            let v = Float(generator.next() >> 40) / Float(1 << 24)
            return (-2 * log(u)).squareRoot() * cos(2 * Float.pi * v)
        }
        let dimension = 8
        let middles = (0..<max(centres, 1)).map { _ in (0..<dimension).map { _ in gaussian() } }
        return (0..<count).flatMap { i -> [Float] in
            let middle = centres == 0 ? [Float](repeating: 0, count: dimension) : middles[i % centres]
            let scale: Float = centres == 0 ? 1 : spread
            return middle.map { $0 + scale * gaussian() }
        }
    }

    @discardableResult
    func compare(_ distances: DistanceMatrix, eps: Double, minSamples: Int, context: String) throws -> Clusters {
        let folder = try TemporaryFolder("clustering-dbscan")
        let n = distances.count
        var json = "{\"eps\": \(String(format: "%.17g", eps)), \"min_samples\": \(minSamples), \"distances\": ["
        json += (0..<n).map { i in
            "[" + (0..<n).map { j in String(format: "%.17g", Double(distances[i, j])) }.joined(separator: ",") + "]"
        }.joined(separator: ",")
        json += "]}"
        try json.write(toFile: folder.file("spec.json"), atomically: true, encoding: .utf8)
        let out = try Reference.run(script: "clustering_reference.py", arguments: ["dbscan", folder.file("spec.json")])
        let reference = try JSONDecoder().decode([Int].self, from: Data(out.utf8))
        let ours = DBSCAN(eps: eps, minSamples: minSamples).cluster(distances)
        XCTAssertEqual(ours, Clusters(rawLabels: reference), context)
        return ours
    }

    /// Not degenerate: among the settings some give several clusters of more than one face, some give noise.
    func assertStructure(_ results: [Clusters], _ context: String) {
        XCTAssertTrue(results.contains { $0.members.filter { $0.count > 1 }.count > 1 }, context)
        XCTAssertTrue(results.contains { !$0.noise.isEmpty }, context)
    }

    func testRandomDirections() throws {
        let distances = try EmbeddingDistances.matrix(
            embeddings: embeddings(count: 240, centres: 0, spread: 1, seed: 11), dimension: 8)
        let results = try [(0.3, 1), (0.45, 3), (0.6, 5), (0.8, 10)].map { eps, minSamples in
            try compare(distances, eps: eps, minSamples: minSamples, context: "random, eps \(eps), min_samples \(minSamples)")
        }
        assertStructure(results, "random")
    }

    func testClusteredDirections() throws {
        let distances = try EmbeddingDistances.matrix(
            embeddings: embeddings(count: 300, centres: 12, spread: 0.35, seed: 5), dimension: 8)
        let results = try [(0.1, 1), (0.15, 4), (0.25, 6), (0.5, 2)].map { eps, minSamples in
            try compare(distances, eps: eps, minSamples: minSamples, context: "clustered, eps \(eps), min_samples \(minSamples)")
        }
        assertStructure(results, "clustered")
    }
}
