@testable import Clustering
import XCTest

/// DBSCAN on `LineFaces` (eps 0.07), read from its table:
///
///     min_samples  core faces              clusters (canonical: largest first)   noise
///     1            all                     {0,1,2,3,4} {5,6,7}                  -
///     3            0,1,2,3,5,6,7           {0,1,2,3,4} {5,6,7}  (4 is a border)  -
///     4            2                       {0,1,2,3}  (2's neighbours)          4,5,6,7
///     5            none                    -                                    all
///
/// With 4, face 3 joins as a border face of core 2 but is not core itself (3 neighbours), so its
/// neighbour 4 is not reached: noise, as are 5-7 (3 neighbours each, no core among them).
final class DBSCANWorkedTests: XCTestCase {
    func labels(minSamples: Int, eps: Double = LineFaces.threshold) -> [Int] {
        DBSCAN(eps: eps, minSamples: minSamples).cluster(LineFaces.distances).labels
    }

    func testMinSamplesOneGivesTheConnectedComponents() {
        XCTAssertEqual(labels(minSamples: 1), [0, 0, 0, 0, 0, 1, 1, 1])
    }

    func testBorderFaceJoinsButDoesNotExtendTheCluster() {
        XCTAssertEqual(labels(minSamples: 3), [0, 0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(labels(minSamples: 4), [0, 0, 0, 0, -1, -1, -1, -1])
        XCTAssertEqual(DBSCAN(eps: LineFaces.threshold, minSamples: 4).cluster(LineFaces.distances).noise, [4, 5, 6, 7])
    }

    func testNoCoreFaceMeansAllNoise() {
        let clusters = DBSCAN(eps: LineFaces.threshold, minSamples: 5).cluster(LineFaces.distances)
        XCTAssertEqual(clusters.count, 0)
        XCTAssertEqual(clusters.labels, [Int](repeating: -1, count: 8))
    }

    func testEpsIsInclusiveAsScikitLearnsRadius() {
        // eps exactly 0.0625 keeps the 0.0625 edges (d <= eps); just below it they go: 0-2, 2-3, 3-4 are lost,
        // leaving {1, 2} (0.0025), {0, 1} (0.04) -> {0, 1, 2}, and {5, 6, 7}; 3 and 4 alone.
        XCTAssertEqual(labels(minSamples: 1, eps: 0.0625), [0, 0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(labels(minSamples: 1, eps: 0.0624), [0, 0, 0, 2, 3, 1, 1, 1])
    }
}
