import Foundation
import Support
import TestSupport
import XCTest

/// Two `facenet serve` replicas over one PostgreSQL gallery (a throw-away server): a person enrolled through
/// one is recognised by the other, without a restart or polling, and followed through a rename by another
/// process and a delete; the same photo enrolled through both at once is stored once, and the same subject
/// created through both at once is created once; the database stopped and started under a stream of
/// recognitions fails none of them, while enrolls answer 503 during the outage and 200 after; SIGKILL of a
/// replica during an enroll burst leaves no partial rows and every answered enroll present.
final class ServeReplicaTests: XCTestCase {
    func testTwoReplicasShareOnePostgresGallery() throws {
        let server = try PostgresServer()
        let fixture = try ServeFixture(gallery: server.url())
        let a = try ServeProcess(gallery: server.url(), arguments: ["--max-wait-ms", "5"])
        let b = try ServeProcess(gallery: server.url(), arguments: ["--max-wait-ms", "5"])
        func recognize(_ replica: ServeProcess, _ person: String, _ number: Int) throws -> HTTPReply {
            try HTTP.upload(replica.base + "/api/v1/recognize", key: fixture.readKey, [("file", try ServeFixture.bytes(person, number))])
        }
        func name(_ reply: HTTPReply) -> String? { (reply.json?["faces"] as? [[String: Any]])?.first?["name"] as? String }
        func enroll(_ replica: ServeProcess, _ person: String, _ number: Int, as subject: String? = nil) throws -> HTTPReply {
            try HTTP.upload(replica.base + "/api/v1/subjects/\(subject ?? person)/faces?largest=true", key: fixture.writeKey, [("file", try ServeFixture.bytes(person, number))])
        }

        // 1. Enrolled through A, recognised by B (its index follows the NOTIFY; measured in bench/replicas).
        let stranger = ServeFixture.strangers[1]
        XCTAssertEqual(name(try recognize(b, stranger, 2)), "unknown")
        let enrolled = try enroll(a, stranger, 1)
        XCTAssertEqual(enrolled.status, 200, enrolled.text)
        let acknowledged = Date()
        var seen: String?
        while seen != stranger && Date().timeIntervalSince(acknowledged) < 5 { seen = name(try recognize(b, stranger, 2)) }
        XCTAssertEqual(seen, stranger, "B never recognised a face enrolled through A")
        // Renamed by another process (`facenet gallery rename`): both replicas answer the new name.
        let renamed = try FacenetProcess.run(["gallery", "rename", stranger, "Renamed", "--gallery", server.url()])
        XCTAssertEqual(renamed.status, 0, renamed.text)
        for replica in [a, b] {
            let renamedAt = Date()
            seen = nil
            while seen != "Renamed" && Date().timeIntervalSince(renamedAt) < 5 { seen = name(try recognize(replica, stranger, 2)) }
            XCTAssertEqual(seen, "Renamed", "a replica did not follow the rename")
        }
        // Deleted through B, gone from A.
        let deleted = try HTTP.send(b.base + "/api/v1/subjects/Renamed", method: "DELETE", headers: ["x-api-key": fixture.writeKey])
        XCTAssertEqual(deleted.status, 200, deleted.text)
        var after: String? = "Renamed"
        let removedAt = Date()
        while after == "Renamed" && Date().timeIntervalSince(removedAt) < 5 { after = name(try recognize(a, stranger, 2)) }
        XCTAssertEqual(after, "unknown")

        // 2. The same photo through both replicas at the same moment: one 200, one 409, one row.
        let both = Replies()
        DispatchQueue.concurrentPerform(iterations: 2) { k in both.add(try? enroll(k == 0 ? a : b, "Tony_Blair", 9)) }
        XCTAssertEqual(both.statuses.sorted(), [200, 409], both.texts.joined(separator: "\n"))
        let sha = FileDigestForTest.sha256(try ServeFixture.bytes("Tony_Blair", 9))
        XCTAssertEqual(try server.sql("SELECT COUNT(*) FROM faces WHERE source_sha256 = '\(sha)'"), "1")
        // The same new subject created through both at once: one 201, one 409.
        let created = Replies()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            created.add(
                try? HTTP.send(
                    (k == 0 ? a : b).base + "/api/v1/subjects", method: "POST",
                    headers: ["x-api-key": fixture.writeKey, "Content-Type": "application/json"], body: Data("{\"subject\": \"Both At Once\"}".utf8)))
        }
        XCTAssertEqual(created.statuses.sorted(), [201, 409], created.texts.joined(separator: "\n"))
        XCTAssertEqual(try server.sql("SELECT COUNT(*) FROM identities WHERE name = 'Both At Once'"), "1")

        // 3. The database stopped and started under a stream of recognitions: none fails; enrolls get 503 while
        //    it is down and 200 once it is back.
        let stream = Replies()
        let streaming = Flag()
        let streamer = Thread {
            while !streaming.isSet { stream.add(try? recognize(b, "Colin_Powell", 3)) }
        }
        streamer.start()
        usleep(300_000)
        try server.stop()
        let during = try enroll(a, "Colin_Powell", 4)
        XCTAssertEqual(during.status, 503, during.text)
        XCTAssertEqual(during.error?.code, "gallery_unavailable", during.text)
        XCTAssertFalse(during.text.contains("password"), during.text)
        usleep(500_000)
        try server.start()
        var back: HTTPReply?
        let restarted = Date()
        repeat {
            back = try enroll(a, "Colin_Powell", 4)
            if back?.status != 200 { usleep(200_000) }
        } while back?.status != 200 && Date().timeIntervalSince(restarted) < 15
        XCTAssertEqual(back?.status, 200, back?.text ?? "")
        usleep(300_000)
        streaming.set()
        while !streamer.isFinished { usleep(10_000) }
        XCTAssertGreaterThan(stream.statuses.count, 3)
        XCTAssertEqual(Set(stream.statuses), [200], stream.texts.filter { !$0.contains("\"faces\"") }.joined(separator: "\n"))
        XCTAssertEqual(Set(stream.replies.map { name($0) ?? "none" }), ["Colin_Powell"])
        // B heard the enroll made after the outage (its listener connected again by itself).
        var heard: String?
        let since = Date()
        while heard == nil && Date().timeIntervalSince(since) < 10 {
            let faces = try HTTP.send(b.base + "/health").json?["faces"] as? Int
            let total = Int(try server.sql("SELECT COUNT(*) FROM faces")) ?? -1
            if faces == total { heard = "\(total)" } else { usleep(100_000) }
        }
        XCTAssertNotNil(heard, "B's index did not follow the gallery after the outage")

        // 4. SIGKILL of A during a burst of enrolls by 4 clients: every answered enroll is there, and no
        //    identity was left without the face its request brought (one transaction per request).
        let photos = ServeFixture.people.flatMap { person in (10...13).map { (person, $0) } }
        let answered = Replies()
        let killed = Flag()
        let others = Replies()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for k in stride(from: worker, to: photos.count, by: 4) where !killed.isSet {
                let (person, number) = photos[k]
                var reply: HTTPReply?
                do { reply = try enroll(a, person, number, as: "burst-" + person) } catch { others.note("\(person) \(number): \(error)") }
                if let reply, reply.status != 200 { others.add(reply) }
                guard let reply, reply.status == 200 else { continue }
                answered.add(reply)
                if answered.statuses.count >= 8, killed.setOnce() { a.signal(SIGKILL) }
            }
        }
        XCTAssertEqual(a.wait(), SIGKILL)
        XCTAssertGreaterThanOrEqual(answered.statuses.count, 8, others.texts.prefix(3).joined(separator: "\n"))
        for reply in answered.replies {
            let id = try XCTUnwrap(reply.json?["face_id"] as? Int)
            let sha = try XCTUnwrap(reply.json?["source_sha256"] as? String)
            XCTAssertEqual(try server.sql("SELECT COUNT(*) FROM faces WHERE id = \(id) AND source_sha256 = '\(sha)'"), "1", "face \(id) lost")
        }
        XCTAssertEqual(
            try server.sql("SELECT COUNT(*) FROM identities WHERE name LIKE 'burst-%' AND id NOT IN (SELECT identity_id FROM faces)"), "0")
        XCTAssertEqual(b.process.isRunning, true)
    }

    private final class Replies: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [HTTPReply?] = []
        func add(_ reply: HTTPReply?) { lock.withLock { list.append(reply) } }
        var replies: [HTTPReply] { lock.withLock { list.compactMap { $0 } } }
        /// -1 for a request that got no answer at all.
        var statuses: [Int] { lock.withLock { list.map { $0?.status ?? -1 } } }
        var texts: [String] { lock.withLock { list.map { $0?.text ?? "no answer" } + notes } }
        private var notes: [String] = []
        func note(_ text: String) { lock.withLock { notes.append(text) } }
    }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
        /// True for the one caller that set it.
        func setOnce() -> Bool { lock.withLock { defer { value = true }; return !value } }
    }
}

/// SHA-256 of a photo, as the service reports it (through the system's sha256sum: an independent reader).
enum FileDigestForTest {
    static func sha256(_ data: Data) -> String {
        let path = NSTemporaryDirectory() + "facenet-sha-" + UUID().uuidString
        FileManager.default.createFile(atPath: path, contents: data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try? Subprocess.run("/usr/bin/sha256sum", [path])
        return String(result?.output.prefix(64) ?? "")
    }
}
