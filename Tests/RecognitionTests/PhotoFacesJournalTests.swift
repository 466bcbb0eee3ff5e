import Foundation
import Recognition
import TestSupport
import XCTest

/// The journal of `facenet cluster --detect`, written and reopened as a killed run leaves it: the whole lines
/// are resumed bit for bit, a partial last line is cut off, other settings start afresh.
final class PhotoFacesJournalTests: XCTestCase {
    let settings = ["model": "m", "precision": "fp32"]
    // Floats whose shortest decimal forms are long: they must come back bit-identical.
    let a = PhotoFacesJournal.Photo(
        path: "Ann/1.jpg", stamp: "1:2.3", faces: [.init(face: 0, box: [1.5, 2, 30.25, 40], embedding: [0.1, -1 / 3, .ulpOfOne, 0.99999994])])
    let b = PhotoFacesJournal.Photo(path: "Bob/2.jpg", stamp: "4:5.6", faces: [])

    func testWholeLinesResumeAndAPartialLineIsCutOff() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("faces.jsonl")
        try PhotoFacesJournal(path: path, settings: settings).append([a, b])
        // A run killed in the middle of writing a third photo's line.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"faces":[{"box":[1,2"#.utf8))
        try handle.close()

        let reopened = try PhotoFacesJournal(path: path, settings: settings)
        XCTAssertNil(reopened.restartReason)
        XCTAssertEqual(reopened.photos, ["Ann/1.jpg": a, "Bob/2.jpg": b])
        XCTAssertEqual(reopened.photos["Ann/1.jpg"]!.faces[0].embedding.map(\.bitPattern), a.faces[0].embedding.map(\.bitPattern))
        let c = PhotoFacesJournal.Photo(path: "Cy/3.jpg", stamp: "7:8.9", faces: [.init(face: 2, box: [0, 0, 9, 9], embedding: [1])])
        try reopened.append([c])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 5, "header, three photos, and the empty piece after the last newline")
        XCTAssertEqual(lines.last, "")
        XCTAssertEqual(try PhotoFacesJournal(path: path, settings: settings).photos.count, 3)
    }

    func testOtherSettingsOrAnotherFileStartAfresh() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("faces.jsonl")
        try PhotoFacesJournal(path: path, settings: settings).append([a])
        let other = try PhotoFacesJournal(path: path, settings: ["model": "m", "precision": "bf16"])
        XCTAssertEqual(other.restartReason, "it was written with other settings (precision)")
        XCTAssertTrue(other.photos.isEmpty)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 1, "only the new header")

        try Data("path,cluster,size\n".utf8).write(to: URL(fileURLWithPath: path))
        let notJournal = try PhotoFacesJournal(path: path, settings: settings)
        XCTAssertEqual(notJournal.restartReason, "it is not a journal of photo faces")
        XCTAssertTrue(notJournal.photos.isEmpty)
    }
}
