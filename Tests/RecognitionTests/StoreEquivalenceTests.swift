import Foundation
import Support
import TestSupport
import XCTest

/// The open-set protocol on both stores: four training photos of each of the 5 celebrities enrolled into an SQLite file and into a
/// PostgreSQL database (a throw-away server), each calibrated on the same LFW strangers, then the validation
/// photos and the strangers identified against each: every output line is the same, names, "unknown"s,
/// distances and thresholds alike (but for the time of calibration in the threshold's origin).
final class StoreEquivalenceTests: XCTestCase {
    func testIdentifyDecidesTheSameOnSQLiteAndPostgreSQL() throws {
        try PhotoFixtures.requireData()
        let server = try PostgresServer()
        let folder = try TemporaryFolder()
        let strangers = try ["Aaron_Eckhart", "Abdullah_Gul", "Adam_Sandler", "Al_Gore", "Alec_Baldwin"].map { person -> String in
            let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.lfw + "/" + person).sorted().first)
            return "\(PhotoFixtures.lfw)/\(person)/\(name)"
        }
        // Four training photos of each person (enrolling all 93 twice would cost a minute of the suite).
        let train = folder.file("train")
        for person in try FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.celebrities + "/train").sorted() {
            try FileManager.default.createDirectory(atPath: train + "/" + person, withIntermediateDirectories: true)
            for photo in try FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.celebrities + "/train/" + person).sorted().prefix(4) {
                try FileManager.default.createSymbolicLink(atPath: "\(train)/\(person)/\(photo)", withDestinationPath: "\(PhotoFixtures.celebrities)/train/\(person)/\(photo)")
            }
        }
        var outputs: [String] = []
        var enrolled: [String] = []
        for gallery in [folder.file("g.db"), server.url()] {
            let enroll = try FacenetProcess.run(["enroll", train, "--gallery", gallery, "--largest"])
            XCTAssertTrue([0, ExitStatus.someSkipped].contains(enroll.status), enroll.text)
            // "enroll: N faces enrolled, ..., F failed" up to its time, which differs.
            enrolled.append(enroll.output.split(separator: "\n").first { $0.contains("faces enrolled") }.map { $0.components(separatedBy: " in ")[0] } ?? "")
            let calibrate = try FacenetProcess.run(["gallery", "calibrate", "--gallery", gallery, "--far", "0.2", "--strangers"] + strangers)
            XCTAssertEqual(calibrate.status, 0, calibrate.text)
            let identify = try FacenetProcess.run(["identify", PhotoFixtures.celebrities + "/val", "--gallery", gallery, "--top-k", "3"] + strangers)
            XCTAssertEqual(identify.status, 0, identify.text)
            // The threshold's origin ends with the calibration's time, the one thing that differs.
            outputs.append(identify.output.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "TIME", options: .regularExpression))
        }
        XCTAssertEqual(enrolled[1], enrolled[0])
        XCTAssertTrue(enrolled[0].hasPrefix("enroll: 2") || enrolled[0].hasPrefix("enroll: 1"), enrolled[0])
        let lines = outputs[0].split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 30)
        XCTAssertTrue(outputs[0].contains("\"unknown\""), "no stranger was left unknown: \(outputs[0])")
        XCTAssertEqual(outputs[1].split(separator: "\n"), lines)
        // The threshold the PostgreSQL gallery stores is the calibrated one, as psql reads it.
        XCTAssertTrue(try server.sql("SELECT value FROM gallery_info WHERE key = 'threshold'").contains("calibrated"))
    }
}
