import Vision
import XCTest

/// Variance of the Laplacian, hand-computed: a 5x5 gray image of value 0 with one pixel of value v at the centre.
/// The 3x3 kernel [0 1 0; 1 -4 1; 0 1 0] gives -4v at the centre, v at its four neighbours, 0 elsewhere
/// (borders reflected, all zero there). Mean 0, so the variance is (16v^2 + 4 v^2) / 25 = 0.8 v^2: 80 for v = 10.
final class QualityTests: XCTestCase {
    func testLaplacianVarianceOfOneBrightPixel() {
        var image = Image(width: 5, height: 5, fill: .black)
        image[2, 2] = RGB(10, 10, 10)
        XCTAssertEqual(image.laplacianVariance, 80, accuracy: 1e-9)
        XCTAssertEqual(Image(width: 8, height: 8, fill: RGB(77, 77, 77)).laplacianVariance, 0, accuracy: 1e-12)
    }
}
