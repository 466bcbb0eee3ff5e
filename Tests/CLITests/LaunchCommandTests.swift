import Foundation
import TestSupport
import XCTest

/// `facenet launch` with what a stranger gives it: usage mistakes exit 64 before any rank starts, a missing
/// config file is named, and nothing is written.
final class LaunchCommandTests: XCTestCase {
    func testMistakesAreRefusedBeforeAnyRankStarts() throws {
        try FacenetProcess.requireBinary()
        let folder = try TemporaryFolder()
        let cases: [([String], Int32, String)] = [
            (["launch", "--nproc", "0", "--", "train", "--config", "c.yaml"], 64, "--nproc must be at least 1, got 0"),
            (["launch", "--nproc", "2"], 64, "give the ranks' command after --"),
            (["launch", "--nproc", "2", "--", "embed", "x"], 64, "give the ranks' command after --"),
            (["launch", "--nproc", "2", "--node-rank", "2", "--nnodes", "2", "--", "train"], 64, "--node-rank must be in 0..<2"),
            (["launch", "--nproc", "2", "--", "train", "--config", folder.file("missing.yaml")], 1, "missing.yaml"),
        ]
        for (arguments, status, words) in cases {
            let result = try FacenetProcess.run(arguments, in: folder.path)
            XCTAssertEqual(result.status, status, "\(arguments): \(result.text)")
            XCTAssertTrue(result.error.contains(words), "\(arguments): '\(words)' not in \(result.error)")
            XCTAssertFalse(result.error.contains("launch: rank"), "a rank started: \(result.error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }
}
