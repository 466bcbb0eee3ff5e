import Classifier
import Support
import XCTest

/// kNN on a table worked by hand.
final class HandComputedKNNTests: XCTestCase {
    // Unit vectors in 2-D; the query q = (1, 0).
    //  i  name  vector          |v - q|^2
    //  0  a     (1, 0)          0
    //  1  a     (0.6, 0.8)      0.16 + 0.64 = 0.8
    //  2  b     (0.8, 0.6)      0.04 + 0.36 = 0.4
    //  3  b     (0, 1)          1 + 1 = 2
    //  4  c     (0.8, -0.6)     0.4
    //  5  c     (-1, 0)         4
    // Nearest first: 0 (a, 0), 2 (b, 0.4), 4 (c, 0.4; the tie keeps training order), 1 (a, 0.8), 3 (b, 2), 5 (c, 4).
    let set = try! TrainingSet(
        names: ["a", "b", "c"], vectors: [1, 0, 0.6, 0.8, 0.8, 0.6, 0, 1, 0.8, -0.6, -1, 0], labels: [0, 0, 1, 1, 2, 2],
        dimension: 2)

    func testVoteShares() throws {
        let q: [Float] = [1, 0]
        let distances = try NearestNeighbours(training: set, k: 1).squaredDistances(to: q)
        for (got, want) in zip(distances, [0, 0.8, 0.4, 2, 0.4, 4] as [Float]) { XCTAssertEqual(got, want, accuracy: 1e-6) }
        // k = 1: a. k = 2: a, b -> 1/2 each, the tie goes to the first class (a). k = 3: a, b, c -> 1/3 each.
        // k = 4: a, b, c, a -> a 2/4. k = 5: + b -> a 2/5, b 2/5, c 1/5.
        let table: [(k: Int, shares: [Double], best: Int)] = [
            (1, [1, 0, 0], 0), (2, [0.5, 0.5, 0], 0), (3, [1.0 / 3, 1.0 / 3, 1.0 / 3], 0), (4, [0.5, 0.25, 0.25], 0),
            (5, [0.4, 0.4, 0.2], 0), (6, [1.0 / 3, 1.0 / 3, 1.0 / 3], 0),
        ]
        for row in table {
            let p = try NearestNeighbours(training: set, k: row.k).predict(q)
            XCTAssertEqual(p.probabilities, row.shares, "k \(row.k)")
            XCTAssertEqual(p.best, row.best, "k \(row.k)")
        }
        // q = (0, 1): 3 (b, 0), 1 (a, 0.4), 2 (b, 0.8), ... -> k = 3: b 2/3, a 1/3.
        let up = try NearestNeighbours(training: set, k: 3).predict([0, 1])
        XCTAssertEqual(up.probabilities, [1.0 / 3, 2.0 / 3, 0])
        XCTAssertEqual(up.ranked, [1, 0, 2])
    }

    func testRefusals() {
        XCTAssertThrowsError(try NearestNeighbours(training: set, k: 7))
        XCTAssertThrowsError(try NearestNeighbours(training: set, k: 0))
        XCTAssertThrowsError(try NearestNeighbours(training: set).predict([1, 0, 0]))
        XCTAssertThrowsError(try TrainingSet(names: ["a"], vectors: [1, 0], labels: [0], dimension: 2))
        XCTAssertThrowsError(try TrainingSet(names: ["a", "b"], vectors: [1, 0, 0, 1], labels: [0, 0], dimension: 2)) { error in
            XCTAssertEqual((error as? UserError)?.message, "identity b has no training embedding")
        }
    }
}
