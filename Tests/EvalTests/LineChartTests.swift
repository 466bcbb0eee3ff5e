@testable import Eval
import XCTest

/// Where the training-curve chart puts its legend.
final class LineChartTests: XCTestCase {
    func legendTextPosition(_ points: [(x: Double, y: Double)]) throws -> (ChartPoint, ChartRect) {
        let layout = LineChart.layout([.init(label: "validation accuracy", points: points)], title: "t", xLabel: "x", yLabel: "y")
        for case let .text(text) in layout.items where text.string == "validation accuracy" { return (text.position, layout.plot) }
        throw XCTSkip("no legend text")
    }

    func testLegendAvoidsACurveInTheUpperRight() throws {
        // Falls then rises to the top right corner (the fine-tuning curve that hid under the legend).
        let (at, plot) = try legendTextPosition([(0, 0.990), (60, 0.985), (120, 0.991), (180, 0.991), (200, 0.990)])
        XCTAssertLessThan(at.x, plot.x + plot.width / 2, "moved to the left half")
        let (at2, plot2) = try legendTextPosition([(0, 1), (100, 0)])
        XCTAssertGreaterThan(at2.x, plot2.x + plot2.width / 2, "a falling curve leaves the upper right free")
        XCTAssertLessThan(at2.y, plot2.y + plot2.height / 2)
    }

    func testLegendBoxCountsCrossings() {
        let plot = ChartRect(x: 0, y: 0, width: 100, height: 100)
        let box = LineChart.legendBox(["a"], size: 10, plot: plot, avoiding: [[ChartPoint(0, 0), ChartPoint(100, 100)]])
        // The diagonal crosses the upper-left and lower-right corners' boxes, not the upper-right one.
        XCTAssertGreaterThan(box.x, 40)
        XCTAssertLessThan(box.y, 50)
    }
}
