import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// facenet serve's key table (migration v2-api-keys): hashes and roles stored and read back; a file written
/// before it (v1 only) is still read by the read-only commands, unchanged, and brought up to date by a writer.
final class GalleryAPIKeysTests: XCTestCase {
    func testKeysAndAnOlderFileWithoutTheirTable() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("g.db")
        do {
            let gallery = try SQLiteGallery(creating: path, model: GalleryDatabaseTests.model, threshold: GalleryDatabaseTests.threshold)
            try gallery.add([], to: "Ann")
            try gallery.addAPIKey(sha256: String(repeating: "1", count: 64), role: .read, label: "kiosk")
            try gallery.addAPIKey(sha256: String(repeating: "2", count: 64), role: .write, label: "")
            XCTAssertEqual(try gallery.apiKeys().map { "\($0.keySHA256.prefix(1)) \($0.role.rawValue) \($0.label)" }, ["1 read kiosk", "2 write "])
            XCTAssertEqual(try gallery.changeCounter(), 1, "a key is no change to identities or faces")
            try gallery.checkpoint()
        }
        XCTAssertTrue(APIKeyRole.write.allows(.read) && APIKeyRole.write.allows(.write) && APIKeyRole.read.allows(.read))
        XCTAssertFalse(APIKeyRole.read.allows(.write))

        // The file as a v1 gallery had it (Python's sqlite3, an independent writer).
        let downgrade = try Subprocess.run("/usr/bin/python3", [
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DROP TABLE api_keys'); "
                + "c.execute(\"DELETE FROM grdb_migrations WHERE identifier = 'v2-api-keys'\"); c.commit(); c.close()",
            path,
        ])
        XCTAssertEqual(downgrade.status, 0, downgrade.text)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let reader = try SQLiteGallery(opening: path, readOnly: true)
        XCTAssertEqual(try reader.identities().map(\.identity.name), ["Ann"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "a read-only open changed the file")
        let writer = try SQLiteGallery(opening: path)
        XCTAssertEqual(try writer.apiKeys(), [])
        try writer.addAPIKey(sha256: String(repeating: "3", count: 64), role: .write, label: "after")
        XCTAssertEqual(try writer.apiKeys().map(\.role), [.write])
    }
}
