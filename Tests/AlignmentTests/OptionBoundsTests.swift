import Foundation
import Support
import TestSupport
import XCTest

@testable import Alignment

/// The bounds of align's and detect's options (and the few other commands' checks), their messages, and
/// that the CLI refuses a value out of range with exit status 64 before it touches anything.
final class OptionBoundsTests: XCTestCase {
    func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testAlignJobBounds() {
        var job = AlignJob(input: "in", output: "out")
        XCTAssertNil(message { try job.validate() })
        job.imageSize = 100_000
        XCTAssertEqual(message { try job.validate() }, "--image-size must be in 16...1024, got 100000")
        job.imageSize = 1024
        XCTAssertNil(message { try job.validate() })
        job.margin = .nan
        XCTAssertEqual(message { try job.validate() }, "--margin must be in 0.0...20000.0, got nan")
        job.margin = -1
        XCTAssertEqual(message { try job.validate() }, "--margin must be in 0.0...20000.0, got -1.0")
        job.margin = 44
        job.batchSize = 0
        XCTAssertEqual(message { try job.validate() }, "--batch-size must be in 1...256, got 0")
        job.batchSize = 257
        XCTAssertEqual(message { try job.validate() }, "--batch-size must be in 1...256, got 257")
    }

    func testDetectorBounds() {
        XCTAssertNil(message { try DetectorOptions().validate() })
        XCTAssertEqual(
            message { try DetectorOptions(minFaceSize: 0).validate() },
            "--min-face-size must be in 12.0...10000.0, got 0.0")
        XCTAssertEqual(
            message { try DetectorOptions(minFaceSize: .infinity).validate() },
            "--min-face-size must be in 12.0...10000.0, got inf")
        XCTAssertEqual(
            message { try DetectorOptions(thresholds: [0.6, 1.5, 0.7]).validate() },
            "--thresholds must be in 0.0...1.0, got 1.5")
        XCTAssertEqual(
            message { try DetectorOptions(thresholds: [0.6]).validate() },
            "--thresholds must be 3 probabilities (P-Net, R-Net, O-Net), got 1")
        XCTAssertEqual(
            message { try DetectorOptions(factor: 0.999).validate() }, "--factor must be in 0.1...0.95, got 0.999")
        XCTAssertEqual(message { try DetectorOptions(factor: 0.05).validate() }, "--factor must be in 0.1...0.95, got 0.05")
        XCTAssertNil(message { try DetectorOptions(maxDetectionSide: 0).validate() })
        XCTAssertNil(message { try DetectorOptions(maxDetectionSide: 160).validate() })
        XCTAssertEqual(
            message { try DetectorOptions(maxDetectionSide: 159).validate() },
            "--detect-max-side must be 0 (off) or in 160...10000, got 159")
        XCTAssertEqual(
            message { try DetectorOptions(maxDetectionSide: -1).validate() },
            "--detect-max-side must be 0 (off) or in 160...10000, got -1")
        // 0.95 at the widest search (12 px faces, 10,000 px side) keeps the pyramid at 132 levels.
        XCTAssertEqual(Candidates.pyramidScales(width: 10_000, height: 10_000, minFaceSize: 12, factor: 0.95).count, 132)
    }

    /// `facenet align IN OUT --image-size 100000` used to die allocating 30 GB after creating OUT and
    /// its two record files. Now: status 64 at once, the message, no OUT; an existing OUT is untouched.
    func testHugeImageSizeIsAUsageErrorThatTouchesNothing() throws {
        let folder = try TemporaryFolder("align-bounds")
        _ = try AlignFixtures.lfwFolder(2, in: folder.file("in"))
        let out = folder.file("out")
        let start = Date()
        let (status, log) = try CLI.run(["align", folder.file("in"), out, "--image-size", "100000"])
        XCTAssertEqual(status, 64, log)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "the check must come before any work")
        XCTAssertTrue(log.contains("--image-size must be in 16...1024, got 100000"), log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // An earlier run's output folder: its files come out byte-identical and nothing is added.
        try FileManager.default.createDirectory(atPath: out + "/A", withIntermediateDirectories: true)
        let files = [
            "bounding_boxes.txt": "A/a.png 1 2 3 4 0.999000\n", "failures.csv": "path,reason,detail\nA/b.jpg,no-face,x\n",
            "A/a.png": "not really a png",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: out + "/" + name)) }
        let before = try FileManager.default.subpathsOfDirectory(atPath: out).sorted()
        let (again, _) = try CLI.run(["align", folder.file("in"), out, "--image-size", "100000"])
        XCTAssertEqual(again, 64)
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: out).sorted(), before)
        for (name, text) in files {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/" + name)), Data(text.utf8), name)
        }
    }

    /// Each bounded option of the other commands is refused with 64 and its message (before a model or
    /// an input is loaded: the inputs named here do not exist).
    func testOtherCommandsRefuseOutOfRangeValues() throws {
        let cases: [([String], String)] = [
            (["detect", "x.jpg", "--detect-max-side", "100"], "--detect-max-side must be 0 (off) or in 160...10000, got 100"),
            (["detect", "x.jpg", "--factor", "0.99"], "--factor must be in 0.1...0.95, got 0.99"),
            (["detect", "x.jpg", "--min-face-size", "nan"], "--min-face-size must be in 12.0...10000.0, got nan"),
            (["detect", "x.jpg", "--thresholds", "0.6,0.7,2"], "--thresholds must be in 0.0...1.0, got 2.0"),
            (["detect", "x.jpg", "--threads", "1000"], "--threads must be in 1...256, got 1000"),
            (["align", "in", "out", "--margin", "1e9"], "--margin must be in 0.0...20000.0, got 1000000000.0"),
            (["align", "in", "out", "--batch-size", "100000"], "--batch-size must be in 1...256, got 100000"),
            (["align", "in", "out", "--shard", "4/4"], "shard '4/4' is not k/N with 0 <= k < N (e.g. 0/4 ... 3/4)"),
            (["embed", "in", "-o", "x.h5", "--batch-size", "0"], "--batch-size must be in 1...1024, got 0"),
            (["embed", "in", "-o", "x.h5", "--decode-threads", "1000"], "--decode-threads must be in 1...64, got 1000"),
            (["eval", "in", "--pairs", "p.txt", "--out", "o", "--batch-size", "5000"], "--batch-size must be in 1...1024, got 5000"),
        ]
        for (arguments, expected) in cases {
            let (status, log) = try CLI.run(arguments)
            XCTAssertEqual(status, 64, "\(arguments): \(log)")
            XCTAssertTrue(log.contains(expected), "\(arguments): \(log)")
        }
    }
}

/// Runs the `facenet` binary.
enum CLI {
    /// Runs `facenet ARGUMENTS` to the end: its exit status and stdout + stderr.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AlignFixtures.binary())
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
