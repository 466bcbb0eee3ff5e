import Export
import Foundation
import TestSupport
import XCTest

/// What `facenet export --evaluation summary.json` records, and its errors.
final class ExportMetadataTests: XCTestCase {
    func testEvaluationSummaryGivesAccuracyAndThreshold() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("summary.json")
        let summary = """
            {"model": "facenet-20170512-110547", "accuracy": 0.993, "accuracy_std": 0.0042, "val": 0.9693,
             "far": 0.00133, "best_threshold": 1.16, "pairs_file": "/data/lfw/pairs.txt",
             "protocol": {"distance": "euclidean", "folds": 10}}
            """
        try summary.write(toFile: path, atomically: true, encoding: .utf8)
        let entries = try ExportMetadata.entries(precision: .fp16, evaluationSummary: path)
        XCTAssertEqual(entries["precision"] as? String, "fp16")
        XCTAssertEqual(entries["lfw_accuracy"] as? Double, 0.993)
        XCTAssertEqual(entries["lfw_threshold"] as? Double, 1.16)
        XCTAssertEqual(entries["lfw_accuracy_std"] as? Double, 0.0042)
        XCTAssertEqual(entries["distance"] as? String, "euclidean")
        XCTAssertEqual(entries["lfw_pairs_file"] as? String, "pairs.txt")
        XCTAssertEqual(entries["lfw_evaluated_model"] as? String, "facenet-20170512-110547")
        XCTAssertEqual(try ExportMetadata.entries(precision: .fp32, evaluationSummary: nil).count, 1)
    }

    func testMissingOrWrongSummaryIsAClearError() throws {
        let folder = try TemporaryFolder()
        XCTAssertThrowsError(try ExportMetadata.entries(precision: .fp32, evaluationSummary: folder.file("none.json"))) {
            XCTAssertEqual("\($0)", "--evaluation \(folder.file("none.json")) does not exist")
        }
        let other = folder.file("other.json")
        try "{\"loss\": 1}".write(toFile: other, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExportMetadata.entries(precision: .fp32, evaluationSummary: other)) {
            XCTAssertTrue("\($0)".contains("not a facenet eval summary.json"), "\($0)")
        }
    }
}
