import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// The PostgreSQL store against a real server (a throw-away cluster per test class) and against the SQLite
/// store: the same operations give the same answers on both; what is stored is read back by psql; a duplicate
/// enrolled by eight connections at once is stored once; changes are announced; an outage is an error that
/// names it, and the store connects again when the server is back.
final class PostgresGalleryTests: XCTestCase {
    nonisolated(unsafe) static var server: PostgresServer?

    override class func setUp() {
        server = try? PostgresServer(databases: ["gallery", "empty", "other", "outage", "race", "notify", "enroll"])
    }

    override class func tearDown() { server = nil }

    func server() throws -> PostgresServer {
        try PostgresServer.require()
        return try XCTUnwrap(Self.server, "the throw-away PostgreSQL server did not start")
    }

    let model = GalleryDatabaseTests.model
    let threshold = GalleryDatabaseTests.threshold

    func face(_ values: [Float], sha: String) -> NewFace {
        NewFace(
            embedding: values, sourcePath: "p.jpg", sourceSHA256: sha, box: [1, 2, 3, 4], landmarks: Array(repeating: 5, count: 10),
            detectionScore: 0.99, sharpness: 50)
    }

    /// One script of operations, run on each store: its transcript (every answer, in order).
    func transcript(_ gallery: any GalleryStore) throws -> [String] {
        var lines: [String] = []
        func note(_ line: String) { lines.append(line) }
        note("added \(try gallery.add([face([0.5, -0.5, 0.25, 1e-7], sha: "a"), face([1, 0, 0, 0], sha: "b")], to: "Ann"))")
        note("added \(try gallery.add([face([0, 1, 0, 0], sha: "a")], to: "Bob"))")
        note("duplicate \(try gallery.add([face([0, 0, 1, 0], sha: "a")], to: "Ann"))")
        note("counter after a duplicate \(try gallery.changeCounter())")
        note("replaced \(try gallery.add([face([0, 0, 0, 1], sha: "c")], to: "Cy", replace: true))")
        note("identities \(try gallery.identities().map { "\($0.identity.name):\($0.faces)" })")
        note("photos \(try gallery.enrolledPhotos(of: "Ann").sorted())")
        let ann = try XCTUnwrap(try gallery.identity(named: "Ann"))
        let faces = try gallery.faces(of: ann)
        note("faces \(faces.map { "\($0.sourceSHA256) \($0.box) \($0.landmarks) \($0.detectionScore) \($0.sharpness) \($0.embedding.count)" })")
        let all = try gallery.allEmbeddings()
        note("embeddings \(all.vectors) of \(all.identityIds.map { all.names[$0]! })")
        try gallery.rename("Bob", to: "Robert")
        XCTAssertThrowsError(try gallery.rename("Robert", to: "Ann")) { note("rename taken: \(($0 as? UserError)?.message.contains("already has an identity named 'Ann'") == true)") }
        XCTAssertThrowsError(try gallery.remove("Nobody")) { note("remove missing: \(($0 as? UserError)?.message.contains("no identity named 'Nobody'") == true)") }
        try gallery.removeFace(faces[0].id!, of: "Ann")
        XCTAssertThrowsError(try gallery.removeFace(faces[1].id!, of: "Robert")) { note("face of another: \(($0 as? UserError)?.message ?? "")") }
        try gallery.remove("Cy")
        try gallery.setThreshold(StoredThreshold(score: "distance", value: 1.05, origin: "calibrated", rule: "min"))
        note("threshold \(try gallery.threshold())")
        note("identities \(try gallery.identities().map { "\($0.identity.name):\($0.faces)" })")
        note("counter \(try gallery.changeCounter())")
        let key = try gallery.addAPIKey(sha256: String(repeating: "c", count: 64), role: .write, label: "test")
        note("key \(key) \(try gallery.apiKeys().map { "\($0.role) \($0.label)" })")
        note("counter after a key \(try gallery.changeCounter())")
        // Updating the embeddings read before the rename and removals, after one more enroll: only Dee's vector
        // is new, and the result is what a full read gives.
        note("added \(try gallery.add([face([0, 0, 1, 0], sha: "d")], to: "Dee"))")
        let updated = try gallery.embeddings(updating: all)
        let full = try gallery.allEmbeddings()
        note("updated \(updated.vectors) of \(updated.identityIds.map { updated.names[$0]! })")
        XCTAssertEqual(updated.faceIds, full.faceIds)
        XCTAssertEqual(updated.identityIds, full.identityIds)
        XCTAssertEqual(updated.names, full.names)
        XCTAssertEqual(updated.vectors, full.vectors)
        note("create Cy \(try gallery.createIdentity("Cy")), again \(try gallery.createIdentity("Cy")), Ann \(try gallery.createIdentity("Ann"))")
        note("counter after the creates \(try gallery.changeCounter())")
        note("Cy \(try gallery.identities().first { $0.identity.name == "Cy" }.map { "\($0.faces) faces" } ?? "missing")")
        XCTAssertThrowsError(try gallery.add([face([1, 2], sha: "z")], to: "Ann")) { note("size: \(($0 as? UserError)?.message ?? "")") }
        XCTAssertThrowsError(try gallery.add([face([1, 0, 0, 0], sha: "z")], to: "../x")) { note("name: \($0 is UserError)") }
        return lines
    }

    func testTheSameOperationsGiveTheSameAnswersOnBothStores() throws {
        let server = try server()
        let folder = try TemporaryFolder()
        let sqlite = try GalleryAddress(folder.file("g.db")).create(model: model, threshold: threshold)
        let postgres = try GalleryAddress(server.url()).create(model: model, threshold: threshold)
        let expected = try transcript(sqlite)
        XCTAssertEqual(try transcript(postgres), expected)
        // Each write that changed a row counts once; one that changed nothing (the duplicate photo, creating
        // a name already there) or failed does not: Ann, Bob, (the duplicate: still 2), Cy, the rename, the
        // face removed, Cy removed, the threshold (7), Dee, Cy created (9; "again" and "Ann" leave it at 9).
        for counter in ["counter after a duplicate 2", "counter 7", "counter after a key 7", "counter after the creates 9"] {
            XCTAssertTrue(expected.contains(counter), "\(counter) missing from \(expected)")
        }
        // Reopened from the URL alone: the fingerprint and threshold come back.
        let reopened = try GalleryAddress(server.url()).open(readOnly: true)
        XCTAssertEqual(reopened.model, model)
        XCTAssertEqual(try reopened.threshold().value, 1.05)
        XCTAssertEqual(try reopened.threshold().rule, "min")
        // Read by PostgreSQL's own client: the embedding bytes are float32, little-endian (0.5 = 0x3f000000).
        XCTAssertEqual(
            try server.sql("SELECT encode(embedding, 'hex') FROM faces JOIN identities ON identities.id = identity_id WHERE name = 'Ann'"),
            "0000803f000000000000000000000000")
        XCTAssertEqual(try server.sql("SELECT identifier FROM facenet_migrations ORDER BY identifier"), "v1\nv2-api-keys")
        XCTAssertEqual(try server.sql("SELECT value FROM gallery_info WHERE key = 'format'"), "facenet-gallery")
        // A read-only opening writes nothing: PostgreSQL refuses its transactions' writes.
        XCTAssertThrowsError(try reopened.add([face([1, 0, 0, 0], sha: "r")], to: "Ann")) {
            XCTAssertTrue("\($0)".contains("read-only"), "\($0)")
        }
        XCTAssertThrowsError(try GalleryAddress(server.url()).create(model: model, threshold: threshold)) {
            XCTAssertTrue("\($0)".contains("already holds a facenet gallery"), "\($0)")
        }
        // An embedding cut short by someone else's UPDATE: both reads name the face and say the gallery is damaged.
        let known = try postgres.allEmbeddings()
        try postgres.add([face([0, 1, 0, 0], sha: "e")], to: "Eve")
        let eve = try server.sql("SELECT faces.id FROM faces JOIN identities ON identities.id = identity_id WHERE name = 'Eve'")
        _ = try server.sql("UPDATE faces SET embedding = '\\x010203' WHERE id = \(eve)")
        for read in [{ try postgres.allEmbeddings() }, { try postgres.embeddings(updating: known) }] {
            XCTAssertThrowsError(try read()) {
                XCTAssertTrue("\($0)".hasSuffix("face \(eve) has 3 embedding bytes, not 16: the gallery is damaged"), "\($0)")
            }
        }
    }

    /// `facenet enroll`'s opening: the first call makes the gallery, the next opens it; a model that
    /// `accepting` refuses stops the opening before anything is written. The same on both stores.
    func testOpeningOrCreatingMakesOnceAndRefusesBeforeWriting() throws {
        let server = try server()
        let folder = try TemporaryFolder()
        for address in [try GalleryAddress(folder.file("g.db")), try GalleryAddress(server.url("enroll"))] {
            let (made, created) = try address.openingOrCreating(model: model, threshold: threshold, accepting: { _ in XCTFail("a new gallery has no model to check") })
            XCTAssertTrue(created, "\(address)")
            _ = try made.add([face([1, 0, 0, 0], sha: "a")], to: "Ann")
            let counter = try made.changeCounter()
            try made.close()
            var seen: ModelFingerprint?
            let (opened, createdAgain) = try address.openingOrCreating(model: model, threshold: threshold, accepting: { seen = $0 })
            XCTAssertFalse(createdAgain, "\(address)")
            XCTAssertEqual(seen, model)
            XCTAssertEqual(try opened.identities().map(\.identity.name), ["Ann"])
            try opened.close()
            XCTAssertThrowsError(
                try address.openingOrCreating(model: model, threshold: threshold, accepting: { _ in throw UserError("another model") })
            ) {
                XCTAssertEqual(($0 as? UserError)?.message, "another model", "\(address)")
            }
            let after = try address.open(readOnly: true)
            XCTAssertEqual(try after.changeCounter(), counter, "\(address)")
            XCTAssertEqual(after.model, model)
        }
    }

    func testADatabaseWithoutAGalleryAndBadURLsAreRefusedClearly() throws {
        let server = try server()
        XCTAssertThrowsError(try GalleryAddress(server.url("empty")).open()) {
            XCTAssertTrue("\($0)".contains("is a PostgreSQL database but not a facenet gallery"), "\($0)")
        }
        XCTAssertThrowsError(try GalleryAddress("postgres://facenet@127.0.0.1:\(server.port)/missing?sslmode=disable").open()) {
            XCTAssertTrue("\($0)".contains("database \"missing\" does not exist"), "\($0)")
        }
        XCTAssertThrowsError(try GalleryAddress("postgres://ann:s3cret@127.0.0.1:\(server.port)/gallery?colour=red")) {
            XCTAssertTrue("\($0)".contains("unknown parameter 'colour'"), "\($0)")
            XCTAssertFalse("\($0)".contains("s3cret"), "\($0)")
        }
        XCTAssertThrowsError(try GalleryAddress("postgres://h:99999/db")) { XCTAssertTrue("\($0)".contains("port '99999'"), "\($0)") }
        // The password never appears in how the gallery is named.
        let location = try PostgresLocation("postgres://ann:s3cret@db.example:6543/faces?sslmode=require")
        XCTAssertEqual(location.description, "postgres://ann@db.example:6543/faces")
        XCTAssertEqual(location.password, "s3cret")
        XCTAssertEqual(location.tls, .require)
        // libpq's environment variables fill what the URL leaves out.
        let filled = try PostgresLocation("postgres://", environment: ["PGHOST": "/run/pg", "PGPORT": "5433", "PGUSER": "bo", "PGPASSWORD": "x"])
        XCTAssertEqual(filled.socketPath, "/run/pg/.s.PGSQL.5433")
        XCTAssertEqual(filled.database, "bo")
        XCTAssertEqual(filled.password, "x")
    }

    /// Eight connections add the same photo to the same new person at the same moment: one identity, one face,
    /// and the eight answers add up to one. Then eight create one new name at once: exactly one is told it did.
    func testConcurrentDuplicateEnrollsStoreOneFace() throws {
        let server = try server()
        _ = try GalleryAddress(server.url("race")).create(model: model, threshold: threshold)
        let stores = try (0..<8).map { _ in try GalleryAddress(server.url("race")).open() }
        let added = Counter()
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for store in stores {
            DispatchQueue.global().async(group: group) {
                start.wait()
                do { added.add(try store.add([self.face([1, 0, 0, 0], sha: "same")], to: "Dup")) } catch { added.fail("\(error)") }
            }
        }
        for _ in stores { start.signal() }
        group.wait()
        XCTAssertEqual(added.failures, [])
        XCTAssertEqual(added.total, 1)
        XCTAssertEqual(try server.sql("SELECT COUNT(*) FROM faces", database: "race"), "1")
        XCTAssertEqual(try server.sql("SELECT COUNT(*) FROM identities", database: "race"), "1")

        let created = Counter()
        for store in stores {
            DispatchQueue.global().async(group: group) {
                start.wait()
                do { created.add(try store.createIdentity("Solo") ? 1 : 0) } catch { created.fail("\(error)") }
            }
        }
        for _ in stores { start.signal() }
        group.wait()
        XCTAssertEqual(created.failures, [])
        XCTAssertEqual(created.total, 1)
        XCTAssertEqual(try server.sql("SELECT COUNT(*) FROM identities WHERE name = 'Solo'", database: "race"), "1")
    }

    /// Another connection's change is announced with its counter; after an outage the store answers
    /// `GalleryUnavailable`, then connects again by itself, and the listener says it is back (nil).
    func testChangesAreAnnouncedAndAnOutageIsSurvived() throws {
        let server = try server()
        let writer = try GalleryAddress(server.url("notify")).create(model: model, threshold: threshold)
        let reader = try GalleryAddress(server.url("notify")).open()
        let heard = Heard()
        reader.observeChanges { heard.append($0) }
        XCTAssertTrue(heard.wait { $0.contains(nil) }, "the listener never started")
        try writer.add([face([1, 0, 0, 0], sha: "a")], to: "Ann")
        try writer.add([face([0, 1, 0, 0], sha: "b")], to: "Ann")
        XCTAssertTrue(heard.wait { $0.contains(2) }, "heard \(heard.values)")
        XCTAssertEqual(heard.values.compactMap { $0 }, [1, 2])

        try server.stop()
        XCTAssertThrowsError(try writer.add([face([0, 0, 1, 0], sha: "c")], to: "Ann")) {
            XCTAssertTrue($0 is GalleryUnavailable, "\($0)")
            XCTAssertTrue("\($0)".contains(server.url("notify").components(separatedBy: "?")[0]), "\($0)")
        }
        XCTAssertThrowsError(try writer.identities()) { XCTAssertTrue($0 is GalleryUnavailable, "\($0)") }
        let nils = heard.values.filter { $0 == nil }.count
        try server.start()
        // Back within the backoff (at most 5 s between attempts).
        let deadline = Date(timeIntervalSinceNow: 15)
        var added: Int?
        while added == nil && Date() < deadline {
            added = try? writer.add([face([0, 0, 1, 0], sha: "c")], to: "Ann")
            if added == nil { usleep(200_000) }
        }
        XCTAssertEqual(added, 1)
        XCTAssertTrue(heard.wait { $0.filter { $0 == nil }.count > nils }, "the listener did not come back: \(heard.values)")
        XCTAssertEqual(try reader.changeCounter(), 3)
        try writer.close()
        try reader.close()
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var total = 0
        private(set) var failures: [String] = []
        func add(_ value: Int) { lock.withLock { total += value } }
        func fail(_ message: String) { lock.withLock { failures.append(message) } }
    }

    private final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Int?] = []
        func append(_ value: Int?) { lock.withLock { list.append(value) } }
        var values: [Int?] { lock.withLock { list } }

        func wait(seconds: Double = 15, until done: ([Int?]) -> Bool) -> Bool {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while Date() < deadline {
                if done(values) { return true }
                usleep(20_000)
            }
            return done(values)
        }
    }
}
