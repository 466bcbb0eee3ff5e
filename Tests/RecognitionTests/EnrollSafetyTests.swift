import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// SIGKILL during an enroll of 500 photos leaves a sound gallery holding the last committed state, a rerun
/// completes it, and identify reads the gallery while enroll writes (SQLite WAL: readers never wait).
final class EnrollSafetyTests: XCTestCase {
    func testKillDuringEnrollThenRerunCompletes() throws {
        try PhotoFixtures.requireData()
        let folder = try TemporaryFolder()
        let photos = folder.file("photos")
        var count = 0
        for person in try FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.lfw).sorted() where count < 500 {
            let names = try FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.lfw + "/" + person).sorted()
            try FileManager.default.createDirectory(atPath: photos + "/" + person, withIntermediateDirectories: true)
            for name in names.prefix(500 - count) {
                try FileManager.default.createSymbolicLink(
                    atPath: "\(photos)/\(person)/\(name)", withDestinationPath: "\(PhotoFixtures.lfw)/\(person)/\(name)")
                count += 1
            }
        }
        XCTAssertEqual(count, 500)
        let gallery = folder.file("g.db")
        let arguments = ["enroll", photos, "--gallery", gallery, "--largest"]

        let process = Process()
        process.executableURL = URL(fileURLWithPath: FacenetProcess.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func faces() -> Int {
            guard FileManager.default.fileExists(atPath: gallery),
                let g = try? SQLiteGallery(opening: gallery, readOnly: true), let list = try? g.identities()
            else { return 0 }
            return list.reduce(0) { $0 + $1.faces }
        }
        let deadline = Date().addingTimeInterval(600)
        while faces() < 40 && process.isRunning && Date() < deadline { usleep(100_000) }
        // While enroll writes: identify answers from the committed faces.
        let probe = PhotoFixtures.lfw + "/Aaron_Peirsol/Aaron_Peirsol_0002.jpg"
        let identify = try FacenetProcess.run(["identify", probe, "--gallery", gallery])
        XCTAssertTrue(process.isRunning, "enroll ended before the kill")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(identify.status, 0, identify.text)
        XCTAssertEqual(try PhotoFixtures.lines(identify.output).first?["name"] as? String, "Aaron_Peirsol", identify.text)

        // The killed gallery: sound (checked by Python's sqlite3) and holding whole commits only.
        let integrity = try Reference.run(script: "gallery_read.py", arguments: ["--integrity", gallery])
        XCTAssertEqual(integrity.trimmingCharacters(in: .whitespacesAndNewlines), "ok")
        let committed = faces()
        XCTAssertGreaterThanOrEqual(committed, 40)
        XCTAssertLessThan(committed, 500)

        let rerun = try FacenetProcess.run(arguments)
        XCTAssertTrue([ExitStatus.success, ExitStatus.someSkipped].contains(rerun.status), rerun.text)
        let summary = try XCTUnwrap(rerun.output.split(separator: "\n").last { $0.contains("faces enrolled") })
        // The rerun skips exactly the committed photos and enrolls the rest.
        XCTAssertTrue(summary.contains("\(committed) photos already enrolled"), String(summary))
        let enrolled = Int(summary.split(separator: " ")[1])!
        let rejected = Int(summary.components(separatedBy: ", ")[2].split(separator: " ")[0])!
        let failed = Int(summary.components(separatedBy: ", ")[3].split(separator: " ")[0])!
        XCTAssertEqual(committed + enrolled + rejected + failed, 500, String(summary))
        XCTAssertEqual(faces(), committed + enrolled)
    }
}
