import Eval
import Foundation
import TestSupport
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

final class ReportFilesTests: XCTestCase {
    private func sampleReport(seed: UInt64, separation: Double = 0.85) throws -> EvaluationReport {
        var random = SeededRandom(seed: seed)
        let isSame = lfwOrderLabels()
        let distances = isSame.map { max(0, $0 ? 0.9 + 0.3 * random.normal() : 0.9 + separation + 0.3 * random.normal()) }
        return try Verification.evaluate(distances: distances, isSame: isSame)
    }

    /// Parses `text` with XMLParser; returns the element names, failing on malformed XML.
    private func xmlElements(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        final class Collector: NSObject, XMLParserDelegate {
            var names: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                names.append(name)
            }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
        return collector.names
    }

    func testWritesSummaryCSVAndSVG() throws {
        let report = try sampleReport(seed: 7)
        let folder = try TemporaryFolder("eval-report")
        let resolved = try PairsFile(parsing: "1 1\nA\t1\t2\nA\t1\tB\t1\n", path: "p.txt")
            .resolve(with: ImageResolver(description: "test") { $0.name == "B" ? nil : $0.stem })
        let settings: [JSONValue.Member] = [.init("model_path", "/models/x.h5"), .init("flip", "none")]
        let paths = try ReportFiles.write(
            report, model: "Test <model> & co", settings: settings, pairs: PairAccounting(resolved), to: folder.path)
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent }, ["summary.json", "roc.csv", "roc.svg"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["roc.csv", "roc.svg", "summary.json"])

        // summary.json: every metric, the counts, the caller's settings; parsed by an independent reader too.
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json")))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["model", "accuracy", "accuracy_std", "val", "val_std", "far", "far_target", "auc", "auc_grid", "eer",
                    "best_threshold", "threshold_per_fold", "pairs", "matched_pairs", "mismatched_pairs", "pairs_in_file",
                    "skipped_pairs", "skipped", "protocol", "settings", "files"] {
            XCTAssertNotNil(object[key], "summary.json lacks \(key)")
        }
        let json = try JSONValue.parse(data, source: "summary.json")
        XCTAssertEqual(json["accuracy"]?.doubleValue, report.accuracy)  // full precision round trip
        XCTAssertEqual(json["eer"]?.doubleValue, report.eer)
        XCTAssertEqual(json["skipped_pairs"], .int(1))
        XCTAssertEqual(json["settings"]?["model_path"], "/models/x.h5")
        XCTAssertEqual(json["protocol"]?["distance"], "euclidean")
        if case .array(let folds)? = json["threshold_per_fold"] { XCTAssertEqual(folds.count, 10) } else { XCTFail() }

        // roc.csv reads back as the exact ROC.
        let points = try ReportFiles.readROCCSV(folder.file("roc.csv"))
        XCTAssertEqual(points, report.roc.points)

        // roc.svg: well-formed, with the curve, both markers, title, axis labels and the escaped model name.
        let svg = try String(contentsOfFile: folder.file("roc.svg"), encoding: .utf8)
        let names = xmlElements(svg)
        XCTAssertEqual(names.first, "svg")
        XCTAssert(names.contains("polyline") && names.contains("circle") && names.contains("polygon"))
        XCTAssert(svg.contains("Test &lt;model&gt; &amp; co"))
        XCTAssert(svg.contains("False accept rate (FAR)") && svg.contains("True accept rate (TPR)"))
        XCTAssert(svg.contains(String(format: "acc %.4f", report.accuracy)))

        // The terminal table has a row per fold and the headline numbers.
        let table = TerminalTable.render(report, model: "Test", pairs: PairAccounting(resolved))
        XCTAssertEqual(table.split(separator: "\n").filter { $0.range(of: #"^\s+\d+\s+600\s"#, options: .regularExpression) != nil }.count, 10)
        XCTAssert(table.contains(String(format: "%.5f ± %.5f", report.accuracy, report.accuracyStd)), table)
        XCTAssert(table.contains("VAL @ FAR=0.001"), table)
    }

    func testLogAxisAndCompareChart() throws {
        let a = try sampleReport(seed: 1)
        let b = try sampleReport(seed: 2, separation: 1.2)
        let folder = try TemporaryFolder("eval-compare")
        for (name, report) in [("a", a), ("b", b)] {
            try ReportFiles.write(report, model: "model \(name)", to: folder.file(name))
        }
        let series = try ["a", "b"].map { try ROCSeries.load(summary: folder.file("\($0)/summary.json")) }
        XCTAssertEqual(series.map(\.label), ["model a", "model b"])
        XCTAssertEqual(series[1].accuracy, b.accuracy)
        XCTAssertEqual(series[1].points.count, b.roc.points.count)

        let layout = ROCChart.layout(series, options: ChartOptions(title: "Compare", logFAR: true))
        // Smallest positive FAR is 1/3000 -> axis from 1e-4; decades labelled, 2..9 minor ticks.
        XCTAssertEqual(layout.xAxis.domain, 1e-4...1)
        XCTAssertEqual(layout.xAxis.ticks.compactMap(\.label), ["1e-4", "1e-3", "0.01", "0.1", "1"])
        XCTAssertEqual(layout.xAxis.ticks.count, 5 + 4 * 8)
        XCTAssertEqual(layout.xAxis.ticks.first!.position, layout.plot.x, accuracy: 1e-9)
        XCTAssertEqual(layout.xAxis.ticks.last!.position, layout.plot.maxX, accuracy: 1e-9)
        XCTAssertEqual(layout.yAxis.ticks.compactMap(\.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // Two curves in two colours, each with its markers; everything inside the chart.
        var curveColors = Set<String>()
        for item in layout.items {
            switch item {
            case .polyline(let points, let stroke):
                if stroke.width == 2 && points.count > 10 { curveColors.insert(stroke.color.hex) }
                for p in points {
                    XCTAssert(p.x >= 0 && p.x <= layout.width && p.y >= 0 && p.y <= layout.height, "\(p) outside")
                }
            default: break
            }
        }
        XCTAssertEqual(curveColors.count, 2)
        let markers = layout.items.filter { if case .marker = $0 { return true } else { return false } }
        XCTAssertEqual(markers.count, 4 + 2)  // 2 per curve + 2 legend keys
        let svg = SVGRenderer.render(layout)
        XCTAssertEqual(xmlElements(svg).first, "svg")
        XCTAssert(svg.contains("model a") && svg.contains("model b") && svg.contains("log scale"))

        // DET: miss = 1 - TPR on a log axis from the decade at or below the smallest positive miss.
        var detOptions = ChartOptions(title: "DET")
        detOptions.det = true
        let det = ROCChart.layout(series, options: detOptions)
        let smallestMiss = series.flatMap(\.points).map { 1 - $0.tpr }.filter { $0 > 0 }.min()!
        let decade = min(1e-1, max(1e-4, pow(10, log10(smallestMiss).rounded(.down))))
        XCTAssertEqual(det.yAxis.domain, decade...1)
        XCTAssertEqual(det.xAxis.domain, 1e-4...1)  // log FAR as with logFAR
        // A miss of 0.1 lies (log 0.1 - log decade) / (0 - log decade) of the way up from the bottom.
        let up = (log10(0.1) - log10(decade)) / -log10(decade)
        XCTAssertEqual(det.yAxis.pixel(0.1), det.plot.maxY - up * det.plot.height, accuracy: 1e-9)
        for case .polyline(let points, _) in det.items {
            for p in points {
                XCTAssertTrue(p.y >= det.plot.y - 0.5 - 1e-9 && p.y <= det.plot.maxY + 0.5 + 1e-9, "point \(p) outside the plot")
            }
        }

        // A zoomed TPR range clips the curve to the plot instead of drawing below it.
        let zoomed = ROCChart.layout([series[0]], options: ChartOptions(tprRange: 0.5...1))
        for case .polyline(let points, _) in zoomed.items {
            for p in points where p.y > zoomed.plot.maxY + 0.5 + 1e-9 {  // clipping keeps half a pixel of slack
                XCTFail("point \(p) below the plot")
            }
        }
    }

    func testJSONRoundTrip() throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ tab \t unicode é ✓", "int": 3, "number": 0.1, "tiny": 1e-300, "nan": .number(.nan),
            "list": [1, 2.5, true, .null], "nested": ["empty": [], "object": [:]],
        ]
        let parsed = try JSONValue.parse(Data(value.serialized().utf8), source: "test")
        XCTAssertEqual(parsed["text"], value["text"])
        XCTAssertEqual(parsed["int"], .int(3))
        XCTAssertEqual(parsed["number"]?.doubleValue, 0.1)
        XCTAssertEqual(parsed["tiny"]?.doubleValue, 1e-300)
        XCTAssertEqual(parsed["nan"], .null)
        XCTAssertEqual(parsed["list"], [1, 2.5, true, .null])
        XCTAssertThrowsError(try JSONValue.parse(Data("{\"a\": }".utf8), source: "bad.json"))
    }
}
