@testable import Recognition
import XCTest

/// The partial selection behind rule min, against a full sort (values with ties, k from 1 to past the count).
final class LargestSelectionTests: XCTestCase {
    func testAgainstSorting() {
        let values: [Float] = [0.5, -1, 0.9, 0.5, 0.9, 0.1, -2, 0.5, 0.3]
        //  sorted, largest first, ties by index: 2 (0.9), 4 (0.9), 0, 3, 7 (0.5), 8 (0.3), 5 (0.1), 1 (-1), 6 (-2)
        let expected = [2, 4, 0, 3, 7, 8, 5, 1, 6]
        for k in 1...11 {
            XCTAssertEqual(GalleryIndex.largest(values, k: k), Array(expected.prefix(k)), "k \(k)")
        }
    }
}
