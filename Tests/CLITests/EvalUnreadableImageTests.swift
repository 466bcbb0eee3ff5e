import Foundation
import Support
import TestSupport
import XCTest

/// One undecodable pair image used to fail all of `eval`, while a missing one was skipped: both are now
/// skipped and reported, the evaluation runs on the rest, and the status is 3.
final class EvalUnreadableImageTests: XCTestCase {
    func testAnUndecodableImageSkipsItsPairs() throws {
        try FacenetProcess.requireBinary()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        let folder = try TemporaryFolder()
        let lfw = Reference.sharedData + "/lfw/lfw"
        // 20 matched pairs George_W_Bush i, i+1 and 20 mismatched George_W_Bush i - Colin_Powell i (i = 1...20).
        var lines = ["20"]
        for i in 1...20 { lines.append("George_W_Bush\t\(i)\t\(i + 1)") }
        for i in 1...20 { lines.append("George_W_Bush\t\(i)\tColin_Powell\t\(i)") }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: folder.file("pairs.txt")))
        for (person, count) in [("George_W_Bush", 21), ("Colin_Powell", 20)] {
            try FileManager.default.createDirectory(atPath: folder.file("faces/\(person)"), withIntermediateDirectories: true)
            for i in 1...count {
                let name = String(format: "%@_%04d.jpg", person, i)
                try FileManager.default.createSymbolicLink(
                    atPath: folder.file("faces/\(person)/\(name)"), withDestinationPath: "\(lfw)/\(person)/\(name)")
            }
        }
        // George_W_Bush_0005 is in pairs (4, 5), (5, 6) and (5, Colin_Powell 5): lines 5, 6 and 26.
        let bad = folder.file("faces/George_W_Bush/George_W_Bush_0005.jpg")
        try FileManager.default.removeItem(atPath: bad)
        try Data("not a JPEG".utf8).write(to: URL(fileURLWithPath: bad))

        let result = try FacenetProcess.run(["eval", "faces", "--pairs", "pairs.txt", "--out", "report"], in: folder.path)
        XCTAssertEqual(result.status, ExitStatus.someSkipped, result.text)
        XCTAssertTrue(result.output.contains("Skipped 3 of 40 pairs of pairs.txt:"), result.text)
        XCTAssertTrue(result.output.contains("line 6: George_W_Bush/George_W_Bush_0005.jpg (unreadable:"), result.text)
        let summary = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("report/summary.json"))))
                as? [String: Any])
        XCTAssertEqual(summary["pairs"] as? Int, 37)
        XCTAssertEqual(summary["skipped_pairs"] as? Int, 3)
        let skipped = try XCTUnwrap(summary["skipped"] as? [[String: Any]])
        XCTAssertEqual(skipped.map { $0["line"] as? Int }, [5, 6, 26])

        // With --missing fail the same image stops the evaluation, naming it.
        let strict = try FacenetProcess.run(
            ["eval", "faces", "--pairs", "pairs.txt", "--out", "strict", "--missing", "fail"], in: folder.path)
        XCTAssertEqual(strict.status, ExitStatus.failure, strict.text)
        XCTAssertTrue(strict.error.contains("1 images named by pairs.txt could not be read: faces/George_W_Bush/George_W_Bush_0005.jpg"), strict.text)
    }
}
