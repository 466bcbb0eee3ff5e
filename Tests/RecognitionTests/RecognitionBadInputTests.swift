import Foundation
import Gallery
import Vision
import Support
import TestSupport
import XCTest

/// Each bad input a clear message, its exit status, and the files already there unchanged.
final class RecognitionBadInputTests: XCTestCase {
    var folder: TemporaryFolder!
    var photo: String { PhotoFixtures.lfw + "/Colin_Powell/Colin_Powell_0001.jpg" }

    override func setUpWithError() throws {
        try PhotoFixtures.requireData()
        folder = try TemporaryFolder()
    }

    func run(_ arguments: [String]) throws -> FacenetProcess.Result { try FacenetProcess.run(arguments, in: folder.path) }

    func testAnEmptyGalleryAndAnotherModelsGallery() throws {
        let model = ModelFingerprint(name: "other", embeddingSize: 512, imageSize: 112, preprocessing: "fixed", weightsSHA256: "00")
        // Written and closed with its log copied in, so that the file is settled before the snapshot.
        try SQLiteGallery(creating: folder.file("other.db"), model: model, threshold: StoredThreshold(score: "ratio", value: 0.8, origin: "t", rule: "mean"))
            .checkpoint()
        let before = try FolderSnapshot(folder.path)
        let other = try run(["identify", photo, "--gallery", "other.db"])
        XCTAssertEqual(other.status, ExitStatus.failure, other.text)
        XCTAssertTrue(other.error.contains("other.db was written by another model (other, 512-D, 112 px fixed"), other.text)
        let enroll = try run(["enroll", "--name", "Colin", photo, "--gallery", "other.db"])
        XCTAssertEqual(enroll.status, ExitStatus.failure, enroll.text)
        XCTAssertTrue(enroll.error.contains("was written by another model"), enroll.text)
        try before.assertUnchanged(folder.path, allowAdded: { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") })

        // A gallery of this model without faces: identify says so.
        let empty = try run(["enroll", "--name", "Nobody", folder.file("missing.jpg"), "--gallery", "empty.db"])
        XCTAssertEqual(empty.status, ExitStatus.failure, empty.text)
        XCTAssertTrue(empty.error.contains("photo \(folder.file("missing.jpg")) does not exist"), empty.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("empty.db")))
    }

    func testAPhotoWithoutAFaceIsReportedAndTheBatchGoesOn() throws {
        var blank = Image(width: 200, height: 200, fill: RGB(120, 130, 140))
        blank[0, 0] = .black
        try blank.writePNG(to: folder.file("wall.png"))
        let enroll = try run(["enroll", "--name", "Colin Powell", "wall.png", photo, "--gallery", "g.db"])
        XCTAssertEqual(enroll.status, ExitStatus.someSkipped, enroll.text)
        XCTAssertTrue(enroll.output.contains("enroll: skipped wall.png: no face found"), enroll.text)
        XCTAssertTrue(enroll.output.contains("enroll: 1 faces enrolled"), enroll.text)
        let identify = try run(["identify", "wall.png", photo, "--gallery", "g.db"])
        XCTAssertEqual(identify.status, 0, identify.text)
        XCTAssertTrue(identify.error.contains("identify: no face in wall.png"), identify.text)
        let rows = try PhotoFixtures.lines(identify.output)
        XCTAssertEqual(rows.map { $0["name"] as? String }, ["Colin Powell"])
    }

    func testFilesThatAreNotGalleriesAndBadNames() throws {
        try Data("hello".utf8).write(to: URL(fileURLWithPath: folder.file("notes.txt")))
        let before = try FolderSnapshot(folder.path)
        let notGallery = try run(["identify", photo, "--gallery", "notes.txt"])
        XCTAssertEqual(notGallery.status, ExitStatus.failure, notGallery.text)
        XCTAssertTrue(notGallery.error.contains("notes.txt is not a facenet gallery (not an SQLite database)"), notGallery.text)
        let list = try run(["gallery", "list", "--gallery", "notes.txt"])
        XCTAssertEqual(list.status, ExitStatus.failure, list.text)
        try before.assertUnchanged(folder.path)
        for (name, shown) in [("a/b", "'/'"), ("bell\u{7}", "U+0007")] {
            let bad = try run(["enroll", "--name", name, photo, "--gallery", "g.db"])
            XCTAssertEqual(bad.status, ExitStatus.failure, bad.text)
            XCTAssertTrue(bad.error.contains("holds \(shown): names may not hold slashes or control characters"), bad.text)
        }
        // The gallery may not be written inside the photo folder it reads, nor over a photo.
        let onto = try run(["enroll", "--name", "Colin", photo, "--gallery", photo])
        XCTAssertEqual(onto.status, ExitStatus.failure, onto.text)
        XCTAssertTrue(onto.error.contains("it is the PHOTOS"), onto.text)
    }
}
