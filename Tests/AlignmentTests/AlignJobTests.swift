import Support
import Foundation
import TestSupport
import Vision
import XCTest

@testable import Alignment

final class AlignJobTests: XCTestCase {
    /// Every kind of bad input is aligned or reported with its reason; nothing crashes.
    func testBadInputIsAlignedOrReported() throws {
        let folder = try TemporaryFolder("align-bad")
        _ = try Reference.run(
            python: "/usr/bin/python3", script: "make_align_bad_images.py",
            arguments: [AlignFixtures.lfw + "/Aaron_Eckhart/Aaron_Eckhart_0001.jpg", folder.file("in")])
        var job = AlignJob(input: folder.file("in"), output: folder.file("out"))
        let report = try job.run(detector: AlignFixtures.detector(), log: { _ in })
        let failures = Dictionary(uniqueKeysWithValues: report.failures.map { ($0.path, $0.failure.reason) })
        XCTAssertEqual(
            failures,
            [
                "bad/zero.jpg": .unreadable, "bad/truncated.jpg": .truncated, "bad/text.jpg": .notAnImage,
                "bad/tiny.png": .faceTooSmall, "bad/flat.png": .noFace,
            ])
        XCTAssertEqual(report.aligned, 6)  // good, cmyk, sixteen, alpha, gray, huge (8000x6000)
        for name in ["good", "cmyk", "sixteen", "alpha", "gray", "huge"] {
            let crop = try Image.load(path: folder.file("out/bad/\(name).png"))
            XCTAssertEqual([crop.width, crop.height], [160, 160], name)
        }
        // The records: one line per crop, one CSV row per failure (after the header), each with a reason.
        let boxes = RecordFile.lines(folder.file("out/bounding_boxes.txt"))
        XCTAssertEqual(boxes.count, 6)
        let rows = RecordFile.lines(folder.file("out/failures.csv"))
        XCTAssertEqual(rows.first, "path,reason,detail")
        XCTAssertEqual(rows.count, 6)
        XCTAssertTrue(rows.contains { $0.hasPrefix("bad/flat.png,no-face,") })
        XCTAssertTrue(report.summary.contains("5 failed"), report.summary)

        // A rerun finds everything done.
        job.verbose = true
        var lines: [String] = []
        let again = try job.run(detector: AlignFixtures.detector(), log: { lines.append($0) })
        XCTAssertEqual(again.alreadyDone, 11)
        XCTAssertEqual(again.processed, 0)
        XCTAssertEqual(RecordFile.lines(folder.file("out/bounding_boxes.txt")).count, 6)
    }

    /// SIGKILL part-way, run again: every crop present and a valid PNG, no image processed twice.
    func testKillAndResume() throws {
        let folder = try TemporaryFolder("align-kill")
        let sources = try AlignFixtures.lfwFolder(30, in: folder.file("in"))
        let binary = try AlignFixtures.binary()
        let out = folder.file("out")
        let arguments = ["align", folder.file("in"), out, "--batch-size", "1", "--verbose"]

        let first = Process()
        first.executableURL = URL(fileURLWithPath: binary)
        first.arguments = arguments
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let deadline = Date().addingTimeInterval(120)
        while RecordFile.lines(out + "/bounding_boxes.txt").count < 3 && first.isRunning && Date() < deadline {
            usleep(5000)
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationReason, .uncaughtSignal, "the first run finished before it was killed")
        let recordedFirst = Set(RecordFile.lines(out + "/bounding_boxes.txt").map { String($0.split(separator: " ")[0]) })
        XCTAssertGreaterThanOrEqual(recordedFirst.count, 3)
        XCTAssertLessThan(recordedFirst.count, 30)

        let (status, log) = try run(binary, arguments)
        XCTAssertEqual(status, 0, log)
        XCTAssertTrue(log.contains("already done \(recordedFirst.count), to do \(30 - recordedFirst.count)"), log)
        let processedSecond = log.split(separator: "\n").filter { $0.hasPrefix("aligned ") && $0.contains(".jpg:") }
            .map { String($0.dropFirst("aligned ".count).prefix { $0 != ":" }) }
        XCTAssertEqual(processedSecond.count, 30 - recordedFirst.count)
        for source in processedSecond {
            let crop = (source as NSString).deletingPathExtension + ".png"
            XCTAssertFalse(recordedFirst.contains(crop), "\(source) processed twice")
        }

        let records = RecordFile.lines(out + "/bounding_boxes.txt").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(records.count, 30)
        XCTAssertEqual(Set(records).count, 30, "an image recorded twice")
        for source in sources {
            let crop = out + "/" + (source as NSString).deletingPathExtension + ".png"
            let image = try Image.load(path: crop)
            XCTAssertEqual([image.width, image.height], [160, 160])
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    /// Two shards together cover the folder once; similarity mode and all faces write their own names.
    func testShardsSimilarityAndAllFaces() throws {
        let folder = try TemporaryFolder("align-modes")
        let sources = try AlignFixtures.lfwFolder(6, in: folder.file("in"))
        let detector = try AlignFixtures.detector()
        var seen: [String] = []
        for k in 0..<2 {
            var job = AlignJob(input: folder.file("in"), output: folder.file("out"))
            job.shard = Shard(index: k, count: 2)
            job.mode = .similarity
            job.imageSize = 112
            let report = try job.run(detector: detector, log: { _ in })
            XCTAssertEqual(report.total, 3)
            XCTAssertEqual(report.aligned, 3)
            seen += RecordFile.lines(folder.file("out/bounding_boxes.txt")).map { String($0.split(separator: " ")[0]) }
        }
        XCTAssertEqual(Set(seen).count, 6)
        for source in sources {
            let crop = try Image.load(path: folder.file("out/" + (source as NSString).deletingPathExtension + ".png"))
            XCTAssertEqual(crop.width, 112)
        }

        var all = AlignJob(input: folder.file("in"), output: folder.file("all"))
        all.allFaces = true
        let report = try all.run(detector: detector, log: { _ in })
        XCTAssertEqual(report.aligned, 6)
        XCTAssertGreaterThanOrEqual(report.crops, 6)
        let first = (sources[0] as NSString).deletingPathExtension
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.file("all/\(first)_0.png")))
        // A rerun of all-faces mode finds its _k names done.
        XCTAssertEqual(try all.run(detector: detector, log: { _ in }).alreadyDone, 6)
    }

    /// Runs a process to the end; its exit status and stdout + stderr.
    func run(_ binary: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
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
