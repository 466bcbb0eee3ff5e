@testable import Clustering
import TripletMining
import XCTest
import Support

/// Chinese whispers on `LineFaces` (threshold 0.07), every face its own neighbour (weight 1 each), with the
/// visit orders given, traced by hand. A node takes the label of largest summed weight among its neighbours,
/// ties to the smallest label.
///
/// Order A, iteration 1 = [3, 4, 2, 0, 1, 5, 6, 7], starting from labels 0..7:
///
///     visit  neighbours: labels          weights          new label
///     3      3, 2, 4                     1 each           2
///     4      4, 3=2                      1 each           2
///     2      2, 0, 1, 3=2                2: 2, 0: 1, 1: 1 2
///     0      0, 1, 2                     1 each           0
///     1      1, 0=0, 2                   1 each           0
///     5      5, 6, 7                     1 each           5
///     6      6, 5=5, 7                   1 each           5
///     7      7, 5=5, 6=5                 5: 2             5
///     -> [0, 0, 2, 2, 2, 5, 5, 5]
///
/// iteration 2 = [2, 0, 1, 3, 4, 5, 6, 7]: 2 sees 2 (itself), 0, 0, 2 (face 3): a tie 2-2, so 0; 3 sees
/// 2, 0, 2: stays 2; the others keep theirs -> [0, 0, 0, 2, 2, 5, 5, 5]. Iteration 3 (same order): 2 sees
/// 0, 0, 0, 2 and 3 sees 2, 0, 2: nothing changes, so it stops. Clusters {0,1,2} {5,6,7} {3,4}.
///
/// Order B, iteration 1 = [2, 3, 4, 0, 1, 5, 6, 7]: 2 sees 2, 0, 1, 3 (1 each) -> 0; 3 sees 3, 0, 4 -> 0;
/// 4 sees 4, 0 -> 0; 0 and 1 -> 0; 5-7 -> 5. Iteration 2 changes nothing: {0,1,2,3,4} {5,6,7}, the
/// connected components. The visit order decides whether the path 3-4 splits off.
final class ChineseWhispersWorkedTests: XCTestCase {
    let whispers = ChineseWhispers(threshold: LineFaces.threshold)

    func run(_ orders: [[Int]]) -> (labels: [Int], iterations: Int) {
        var calls = 0
        let clusters = whispers.propagate(whispers.neighbours(LineFaces.distances)) {
            defer { calls += 1 }
            return orders[min(calls, orders.count - 1)]
        }
        return (clusters.labels, calls)
    }

    func testGraphHasTheEdgesBelowTheThresholdAndEveryFaceItself() {
        XCTAssertEqual(
            whispers.neighbours(LineFaces.distances),
            [[0, 1, 2], [1, 0, 2], [2, 0, 1, 3], [3, 2, 4], [4, 3], [5, 6, 7], [6, 5, 7], [7, 5, 6]])
        // Strictly below: at threshold 0.0625 the 0.0625 edges are gone.
        XCTAssertEqual(ChineseWhispers(threshold: 0.0625).neighbours(LineFaces.distances)[2], [2, 1])
    }

    func testOrderASplitsThePathOff() {
        let (labels, iterations) = run([[3, 4, 2, 0, 1, 5, 6, 7], [2, 0, 1, 3, 4, 5, 6, 7]])
        // Canonical: {0,1,2} and {5,6,7} (size 3; the first starts earlier), then {3,4}.
        XCTAssertEqual(labels, [0, 0, 0, 2, 2, 1, 1, 1])
        XCTAssertEqual(iterations, 3)
    }

    func testOrderBKeepsTheComponent() {
        let (labels, iterations) = run([[2, 3, 4, 0, 1, 5, 6, 7]])
        XCTAssertEqual(labels, [0, 0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(iterations, 2)
    }

    func testIterationsBoundTheRun() {
        let oneIteration = ChineseWhispers(threshold: LineFaces.threshold, iterations: 1)
        var calls = 0
        let clusters = oneIteration.propagate(oneIteration.neighbours(LineFaces.distances)) {
            calls += 1
            return [3, 4, 2, 0, 1, 5, 6, 7]
        }
        // Order A's state after iteration 1: [0, 0, 2, 2, 2, 5, 5, 5] -> {2,3,4} {5,6,7} {0,1}.
        XCTAssertEqual(clusters.labels, [2, 2, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(calls, 1)
    }

    func testSeededRunIsDeterministicAndSeedsDiffer() {
        let distances = LineFaces.distances
        func labels(seed: UInt64) -> [Int] {
            var generator = SeededRandom(seed: seed)
            return whispers.cluster(distances, generator: &generator).labels
        }
        XCTAssertEqual(labels(seed: 7), labels(seed: 7))
        // Either outcome of the worked orders, never another partition.
        var outcomes = Set<[Int]>()
        for seed in 0..<40 { outcomes.insert(labels(seed: UInt64(seed))) }
        XCTAssertEqual(outcomes, [[0, 0, 0, 2, 2, 1, 1, 1], [0, 0, 0, 0, 0, 1, 1, 1]])
    }

    func testShuffleIsAPermutation() {
        var generator = SeededRandom(seed: 3)
        var values = Array(0..<50)
        ChineseWhispers.shuffle(&values, generator: &generator)
        XCTAssertNotEqual(values, Array(0..<50))
        XCTAssertEqual(values.sorted(), Array(0..<50))
    }
}
