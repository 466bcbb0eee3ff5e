@testable import Clustering
import Support
import XCTest

/// Rows (3, 4), (2, 0), (0, 0.5) normalise to (0.6, 0.8), (1, 0), (0, 1). Squared distances:
/// 0-1: 0.4^2 + 0.8^2 = 0.8; 0-2: 0.6^2 + 0.2^2 = 0.4; 1-2: 1 + 1 = 2.
final class EmbeddingDistancesTests: XCTestCase {
    func testRowsAreNormalisedBeforeTheSquaredDistance() throws {
        let d = try EmbeddingDistances.matrix(embeddings: [3, 4, 2, 0, 0, 0.5], dimension: 2)
        let expected: [[Float]] = [[0, 0.8, 0.4], [0.8, 0, 2], [0.4, 2, 0]]
        for i in 0..<3 {
            for j in 0..<3 { XCTAssertEqual(d[i, j], expected[i][j], accuracy: 1e-6, "(\(i), \(j))") }
        }
    }

    func testZeroRowIsRefused() {
        XCTAssertThrowsError(try EmbeddingDistances.matrix(embeddings: [1, 0, 0, 0], dimension: 2)) { error in
            XCTAssertEqual(error as? UserError, UserError("embedding 1 has norm 0.0: it cannot be normalised"))
        }
    }

    func testCanonicalLabelsPutTheLargestClusterFirst() {
        // Raw 7 has three faces, 2 two, 9 two (ties by first face: 9's face 1 before 2's face 3), 5 one.
        let clusters = Clusters(rawLabels: [7, 9, 7, 2, -1, 9, 2, 7, 5])
        XCTAssertEqual(clusters.labels, [0, 1, 0, 2, -1, 1, 2, 0, 3])
        XCTAssertEqual(clusters.members, [[0, 2, 7], [1, 5], [3, 6], [8]])
        XCTAssertEqual(clusters.noise, [4])
    }
}
