import Foundation
import Support
import TestSupport
import Vision
import XCTest

@testable import Alignment

/// `facenet detect` and `facenet align` report each bad image with its reason and go on with the rest.
final class BadImageReportTests: XCTestCase {
    /// A TIFF header alone claiming 30000x30000 (a 2.7 GB image in a 38-byte file).
    static let hugeTIFF: [UInt8] =
        Array("II*\0".utf8) + [8, 0, 0, 0, 2, 0] + [0, 1, 4, 0, 1, 0, 0, 0, 0x30, 0x75, 0, 0]
        + [1, 1, 4, 0, 1, 0, 0, 0, 0x30, 0x75, 0, 0] + [0, 0, 0, 0]

    func makeBadImages(in folder: TemporaryFolder) throws -> String {
        _ = try Reference.run(
            python: "/usr/bin/python3", script: "make_align_bad_images.py",
            arguments: [AlignFixtures.lfw + "/Aaron_Eckhart/Aaron_Eckhart_0001.jpg", folder.file("in")])
        try Data(Self.hugeTIFF).write(to: URL(fileURLWithPath: folder.file("in/bad/bomb.tif")))
        return folder.file("in/bad")
    }

    func testDetectReportsEachBadImageAndGoesOn() throws {
        let folder = try TemporaryFolder("detect-bad")
        let bad = try makeBadImages(in: folder)
        let names = ["zero.jpg", "truncated.jpg", "text.jpg", "bomb.tif", "good.jpg"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AlignFixtures.binary())
        process.arguments = ["detect"] + names.map { bad + "/" + $0 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0, "skipped images must show in the exit status")
        XCTAssertEqual(
            stderr.split(separator: "\n").map(String.init),
            [
                "detect: cannot read image file \(bad)/zero.jpg: the file is empty (0 bytes)",
                "detect: \(bad)/truncated.jpg is truncated: the image data ends before the format's end marker",
                "detect: \(bad)/text.jpg is not an image OpenCV can decode (unknown format or corrupt data)",
                "detect: \(bad)/bomb.tif is 30000x30000 = 900000000 pixels, above the limit of 100000000 pixels",
            ])
        // The good image after them is still detected.
        let lines = stdout.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 1)
        XCTAssertTrue(lines.allSatisfy { $0.contains("\"path\":\"\(bad)/good.jpg\"") }, stdout)
    }

    func testAlignRecordsTheHugeHeaderAsTooLargeAndGoesOn() throws {
        let folder = try TemporaryFolder("align-bad-huge")
        _ = try makeBadImages(in: folder)
        let job = AlignJob(input: folder.file("in"), output: folder.file("out"))
        let report = try job.run(detector: AlignFixtures.detector(), log: { _ in })
        let failure = report.failures.first { $0.path == "bad/bomb.tif" }?.failure
        XCTAssertEqual(failure?.reason, .tooLarge)
        XCTAssertTrue(
            RecordFile.lines(folder.file("out/failures.csv")).contains {
                $0.hasPrefix("bad/bomb.tif,too-large,") && $0.contains("30000x30000 = 900000000 pixels")
            })
        XCTAssertEqual(report.aligned, 6)  // the six good images of make_align_bad_images.py, as before
    }
}
