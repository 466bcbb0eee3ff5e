import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// The gallery file read back by Python's sqlite3 (an independent reader), and its guarantees: one row per
/// (person, photo), other rows untouched by an enroll, removed people gone from the file's bytes.
final class GalleryDatabaseTests: XCTestCase {
    static let model = ModelFingerprint(
        name: "test-model", embeddingSize: 4, imageSize: 160, preprocessing: "prewhiten", weightsSHA256: String(repeating: "ab", count: 32))
    static let threshold = StoredThreshold(score: "ratio", value: 0.8, origin: "test", rule: "mean")

    func face(_ values: [Float], sha: String, path: String = "p.jpg") -> NewFace {
        NewFace(
            embedding: values, sourcePath: path, sourceSHA256: sha, box: [1, 2, 3, 4], landmarks: Array(repeating: 5, count: 10),
            detectionScore: 0.99, sharpness: 50)
    }

    func testWhatIsWrittenIsWhatPythonReads() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("g.db")
        let gallery = try SQLiteGallery(creating: path, model: Self.model, threshold: Self.threshold)
        XCTAssertEqual(try gallery.add([face([0.5, -0.5, 0.25, 1e-7], sha: "a"), face([1, 0, 0, 0], sha: "b")], to: "Ann"), 2)
        XCTAssertEqual(try gallery.add([face([0, 1, 0, 0], sha: "a")], to: "Bob"), 1)  // the same photo, another person
        let python = try Reference.run(script: "gallery_read.py", arguments: [path])
        let read = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(python.utf8)) as? [String: Any])
        let identities = try XCTUnwrap(read["identities"] as? [String: [[Double]]])
        // Compared as float32: the values were stored as float32, and JSON text carries them as decimals.
        XCTAssertEqual(identities["Ann"]?.map { $0.map(Float.init) }, [[0.5, -0.5, 0.25, 1e-7], [1, 0, 0, 0]])
        XCTAssertEqual(identities["Bob"]?.map { $0.map(Float.init) }, [[0, 1, 0, 0]])
        let info = try XCTUnwrap(read["info"] as? [String: String])
        XCTAssertEqual(info["format"], "facenet-gallery")
        XCTAssertEqual(info["change_counter"], "2")
        // Reopened: the fingerprint, the threshold and the counts come back.
        let reopened = try SQLiteGallery(opening: path)
        XCTAssertEqual(reopened.model, Self.model)
        XCTAssertEqual(try reopened.threshold(), Self.threshold)
        XCTAssertEqual(try reopened.identities().map { "\($0.identity.name):\($0.faces)" }, ["Ann:2", "Bob:1"])
        XCTAssertEqual(try reopened.integrityCheck(), "ok")
    }

    /// The unique (identity, photo) constraint decides a duplicate: the second add of the same photo stores nothing.
    func testAPhotoIsStoredOncePerPerson() throws {
        let folder = try TemporaryFolder()
        let gallery = try SQLiteGallery(creating: folder.file("g.db"), model: Self.model, threshold: Self.threshold)
        XCTAssertEqual(try gallery.add([face([1, 0, 0, 0], sha: "x"), face([1, 0, 0, 0], sha: "x")], to: "Ann"), 1)
        XCTAssertEqual(try gallery.add([face([0, 1, 0, 0], sha: "x")], to: "Ann"), 0)
        XCTAssertEqual(try gallery.enrolledPhotos(of: "Ann"), ["x"])
        // --replace: the old faces go in the same transaction as the new ones come.
        XCTAssertEqual(try gallery.add([face([0, 0, 1, 0], sha: "y")], to: "Ann", replace: true), 1)
        XCTAssertEqual(try gallery.enrolledPhotos(of: "Ann"), ["y"])
    }

    /// Adding a person to a gallery of 1,000 leaves every other row byte-identical (compared as SQLite dumps
    /// of each row by Python's reader).
    func testAddingAPersonLeavesEveryOtherRowIdentical() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("g.db")
        let gallery = try SQLiteGallery(creating: path, model: Self.model, threshold: Self.threshold)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<1000 {
            try gallery.add([face((0..<4).map { _ in Float.random(in: -1...1, using: &generator) }, sha: "s\(i)")], to: "person\(i)")
        }
        let before = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try Reference.run(script: "gallery_read.py", arguments: [path]).utf8)) as? [String: Any])
        try gallery.add([face([0.1, 0.2, 0.3, 0.4], sha: "new")], to: "newcomer")
        let after = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try Reference.run(script: "gallery_read.py", arguments: [path]).utf8)) as? [String: Any])
        var beforeIdentities = try XCTUnwrap(before["identities"] as? [String: [[Double]]])
        var afterIdentities = try XCTUnwrap(after["identities"] as? [String: [[Double]]])
        XCTAssertEqual(afterIdentities.removeValue(forKey: "newcomer")?.map { $0.map(Float.init) }, [[0.1, 0.2, 0.3, 0.4]])
        XCTAssertEqual(afterIdentities, beforeIdentities)
        beforeIdentities.removeAll()
        let beforeFaces = try XCTUnwrap(before["faces"] as? [[Any]]).map { "\($0)" }
        let afterFaces = try XCTUnwrap(after["faces"] as? [[Any]]).map { "\($0)" }
        XCTAssertEqual(Array(afterFaces.prefix(1000)), beforeFaces)
    }

    /// `remove` deletes the rows, and with secure_delete and VACUUM the embedding's bytes are gone from the
    /// file and its write-ahead log, not only unlinked.
    func testARemovedPersonIsGoneFromTheFilesBytes() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("g.db")
        let gallery = try SQLiteGallery(creating: path, model: Self.model, threshold: Self.threshold)
        let secret: [Float] = [0.123456789, -0.987654321, 0.5555555, 0.3333333]
        try gallery.add([face(secret, sha: "secret-photo-sha")], to: "Private Person")
        try gallery.add([face([1, 0, 0, 0], sha: "other")], to: "Other")
        let blob = EmbeddingBlob.encode(secret)
        func fileBytes() -> Data {
            [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
        }
        XCTAssertNotNil(fileBytes().range(of: blob))
        try gallery.remove("Private Person")
        XCTAssertNil(try gallery.identity(named: "Private Person"))
        XCTAssertNil(fileBytes().range(of: blob), "the embedding is still in the file")
        XCTAssertNil(fileBytes().range(of: Data("Private Person".utf8)), "the name is still in the file")
        XCTAssertThrowsError(try gallery.remove("Private Person")) {
            XCTAssertEqual("\($0)", "\(path) has no identity named 'Private Person'")
        }
    }

    func testRenameAndNames() throws {
        let folder = try TemporaryFolder()
        let gallery = try SQLiteGallery(creating: folder.file("g.db"), model: Self.model, threshold: Self.threshold)
        try gallery.add([face([1, 0, 0, 0], sha: "a")], to: "Ann")
        try gallery.add([face([0, 1, 0, 0], sha: "b")], to: "Bob")
        try gallery.rename("Ann", to: "Anne")
        XCTAssertEqual(try gallery.identities().map(\.identity.name), ["Anne", "Bob"])
        XCTAssertThrowsError(try gallery.rename("Anne", to: "Bob")) { XCTAssertTrue("\($0)".contains("already has an identity named 'Bob'")) }
        XCTAssertThrowsError(try gallery.rename("Nobody", to: "X")) { XCTAssertTrue("\($0)".contains("no identity named 'Nobody'")) }
        XCTAssertThrowsError(try gallery.add([face([1, 0, 0, 0], sha: "c")], to: "a/b")) {
            XCTAssertEqual("\($0)", "identity name \"a/b\" holds '/': names may not hold slashes or control characters")
        }
        XCTAssertThrowsError(try gallery.add([face([1, 0, 0, 0], sha: "c")], to: "tab\there")) {
            XCTAssertEqual("\($0)", "identity name \"tab\\there\" holds U+0009: names may not hold slashes or control characters")
        }
        XCTAssertThrowsError(try gallery.add([face([1, 0], sha: "c")], to: "Short")) {
            XCTAssertEqual("\($0)", "p.jpg: embedding of size 2, the gallery's model has 4")
        }
    }

    func testFilesThatAreNotGalleries() throws {
        let folder = try TemporaryFolder()
        let text = folder.file("notes.db")
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try SQLiteGallery(opening: text)) {
            XCTAssertEqual("\($0)", "\(text) is not a facenet gallery (not an SQLite database)")
        }
        let other = folder.file("other.db")
        _ = try Reference.run(script: "gallery_read.py", arguments: ["--make-other", other])
        XCTAssertThrowsError(try SQLiteGallery(opening: other)) {
            XCTAssertEqual("\($0)", "\(other) is an SQLite database but not a facenet gallery (no gallery_info format row)")
        }
        XCTAssertThrowsError(try SQLiteGallery(opening: folder.file("missing.db"))) {
            XCTAssertEqual("\($0)", "the gallery \(folder.file("missing.db")) does not exist")
        }
        XCTAssertThrowsError(try SQLiteGallery(opening: folder.path)) {
            XCTAssertEqual("\($0)", "the gallery \(folder.path) is a folder, not a file")
        }
        // A gallery whose pages after the header are overwritten: the damage is reported, naming the file.
        let damaged = folder.file("damaged.db")
        let gallery = try SQLiteGallery(creating: damaged, model: Self.model, threshold: Self.threshold)
        for i in 0..<200 { try gallery.add([face([1, 0, 0, 0], sha: "s\(i)")], to: "p\(i)") }
        try gallery.checkpoint()
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: damaged))
        for i in 4096..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try bytes.write(to: URL(fileURLWithPath: damaged))
        try? FileManager.default.removeItem(atPath: damaged + "-wal")
        try? FileManager.default.removeItem(atPath: damaged + "-shm")
        XCTAssertThrowsError(try { let g = try SQLiteGallery(opening: damaged); _ = try g.identities() }()) {
            XCTAssertTrue("\($0)".hasPrefix(damaged), "\($0)")
            XCTAssertTrue("\($0)".contains("damaged") || "\($0)".contains("not a facenet gallery"), "\($0)")
        }
    }
}
