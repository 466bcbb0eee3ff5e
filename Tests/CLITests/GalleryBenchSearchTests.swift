import Foundation
import TestSupport
import XCTest

/// `facenet gallery bench-search` over random unit vectors: one JSON line with the fields docs/recognition.md
/// names. On 400 vectors an HNSW graph with M 32 and efSearch 64 holds most of the set within reach of every
/// probe, so its recall@1 is near 1 (FAISS measures 0.87 at 10k, docs/benchmarks.md); exact search has no
/// recall to report. Bad values are usage errors.
final class GalleryBenchSearchTests: XCTestCase {
    func line(_ arguments: [String]) throws -> [String: Any] {
        let r = try FacenetProcess.run(["gallery", "bench-search", "--faces", "400", "--single-probes", "20", "--batch", "50"] + arguments)
        XCTAssertEqual(r.status, 0, r.text)
        let last = try XCTUnwrap(r.output.split(separator: "\n").last, r.text)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], r.text)
    }

    func testOneJSONLinePerRun() throws {
        try FacenetProcess.requireBinary()
        let exact = try line(["--index", "exact", "--threads", "1"])
        XCTAssertEqual(exact["index"] as? String, "exact")
        XCTAssertEqual(exact["faces"] as? Int, 400)
        XCTAssertEqual(exact["batch"] as? Int, 50)
        XCTAssertEqual(exact["source"] as? String, "random")
        XCTAssertGreaterThan(try XCTUnwrap(exact["per_probe_ms"] as? Double), 0)
        XCTAssertNil(exact["recall_at_1"])
        let hnsw = try line(["--index", "hnsw", "--rule", "min", "--threads", "1"])
        XCTAssertEqual(hnsw["ef_search"] as? Int, 64)
        XCTAssertEqual(hnsw["m"] as? Int, 32)
        let recall = try XCTUnwrap(hnsw["recall_at_1"] as? Double)
        XCTAssertGreaterThanOrEqual(recall, 0.9)
        XCTAssertLessThanOrEqual(recall, 1)

        let bad = try FacenetProcess.run(["gallery", "bench-search", "--faces", "0"])
        XCTAssertEqual(bad.status, 64, bad.text)
        XCTAssertTrue(bad.error.contains("--faces must be in 1...100000000, got 0"), bad.error)
        let huge = try FacenetProcess.run(["gallery", "bench-search", "--faces", "100000000"])
        XCTAssertEqual(huge.status, 64, huge.text)
        XCTAssertTrue(huge.error.contains("is 12800000000 floats; at most 268435456 (1 GiB)"), huge.error)
        let missing = try FacenetProcess.run(["gallery", "bench-search", "--gallery", "missing.db"])
        XCTAssertNotEqual(missing.status, 0, missing.text)
        XCTAssertTrue(missing.error.contains("missing.db"), missing.error)
    }
}
