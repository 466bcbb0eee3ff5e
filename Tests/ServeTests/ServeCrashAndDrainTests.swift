import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// What survives the end of a service: SIGKILL in the middle of a burst of enrolls leaves a sound gallery
/// holding every enroll that was answered 200; another process's change reaches the running index; SIGTERM
/// lets a request in flight finish before the exit.
final class ServeCrashAndDrainTests: XCTestCase {
    func testKillDuringEnrollsThenRestartThenSIGTERMDrains() throws {
        let fixture = try ServeFixture.shared()
        let folder = try TemporaryFolder("facenet-serve-crash")
        let gallery = try fixture.copy(to: folder)
        let first = try ServeProcess(gallery: gallery, arguments: ["--max-wait-ms", "5"])

        // 28 new photos (4 more of each person) enrolled by 4 clients at once; SIGKILL after the 10th 200.
        let photos = ServeFixture.people.flatMap { person in (4...7).map { (person, $0) } }
        let answered = Answers()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for k in stride(from: worker, to: photos.count, by: 4) where !answered.killed {
                let (person, number) = photos[k]
                guard let data = try? ServeFixture.bytes(person, number),
                    let reply = try? HTTP.upload(first.base + "/api/v1/subjects/\(person)/faces?largest=true", key: fixture.writeKey, [("file", data)]),
                    reply.status == 200, let id = reply.json?["face_id"] as? Int, let sha = reply.json?["source_sha256"] as? String
                else { continue }
                if answered.add(person: person, id: Int64(id), sha: sha) >= 10 { answered.kill { first.signal(SIGKILL) } }
            }
        }
        XCTAssertEqual(first.wait(), SIGKILL, "killed by SIGKILL (Process reports the signal number)")
        XCTAssertGreaterThanOrEqual(answered.all.count, 10)

        // The file is sound and holds every answered face, read directly...
        do {
            let database = try SQLiteGallery(opening: gallery)
            XCTAssertEqual(try database.integrityCheck(), "ok")
            for (person, id, sha) in answered.all {
                let identity = try XCTUnwrap(try database.identity(named: person))
                XCTAssertTrue(try database.faces(of: identity).contains { $0.id == id && $0.sourceSHA256 == sha }, "\(person) face \(id) lost")
            }
        }
        // ... and through a restarted service.
        let second = try ServeProcess(gallery: gallery)
        for person in Set(answered.all.map(\.0)) {
            let reply = try HTTP.send(second.base + "/api/v1/subjects/\(person)/faces", headers: ["x-api-key": fixture.readKey])
            let ids = Set((reply.json?["faces"] as? [[String: Any]] ?? []).compactMap { $0["face_id"] as? Int }.map(Int64.init))
            XCTAssertTrue(Set(answered.all.filter { $0.0 == person }.map(\.1)).isSubset(of: ids), reply.text)
        }

        // A change by another process (facenet gallery remove) reaches the running service's index within a second.
        let facesBefore = try XCTUnwrap(try HTTP.send(second.base + "/health").json?["faces"] as? Int)
        let removed = try FacenetProcess.run(["gallery", "remove", "Hugo_Chavez", "--gallery", gallery])
        XCTAssertEqual(removed.status, 0, removed.text)
        usleep(1_200_000)
        let health = try HTTP.send(second.base + "/health").json
        XCTAssertLessThan(try XCTUnwrap(health?["faces"] as? Int), facesBefore)
        let chavez = try HTTP.upload(second.base + "/api/v1/recognize", key: fixture.readKey, [("file", try ServeFixture.bytes("Hugo_Chavez", 3))])
        XCTAssertNotEqual((chavez.json?["faces"] as? [[String: Any]])?.first?["nearest"] as? String, "Hugo_Chavez", chavez.text)

        // SIGTERM while a request's body is half sent: the request is still answered, then the service exits 143.
        let (type, body) = HTTP.multipart([("file", try ServeFixture.bytes("Tony_Blair", 3))])
        let connection = try RawConnection(port: second.port)
        connection.write(Data("POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: \(fixture.readKey)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8))
        connection.write(body.prefix(body.count / 2))
        usleep(300_000)
        second.signal(SIGTERM)
        usleep(500_000)
        XCTAssertTrue(second.process.isRunning, "the service left before its request in flight was answered")
        connection.write(body.suffix(from: body.count / 2))
        let response = connection.readAll()
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200"), response)
        XCTAssertTrue(response.contains("\"name\": \"Tony_Blair\""), response)
        XCTAssertEqual(second.wait(), ExitStatus.interrupted(by: SIGTERM), second.log)
        XCTAssertTrue(second.log.contains("stopped by signal 15 after finishing the requests in flight"), second.log)
        XCTAssertThrowsError(try RawConnection(port: second.port), "still accepting after SIGTERM")
        XCTAssertEqual(try SQLiteGallery(opening: gallery, readOnly: true).integrityCheck(), "ok")
    }

    private final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [(String, Int64, String)] = []
        private var didKill = false

        func add(person: String, id: Int64, sha: String) -> Int {
            lock.withLock {
                answers.append((person, id, sha))
                return answers.count
            }
        }

        func kill(_ body: () -> Void) {
            lock.withLock {
                if !didKill { body() }
                didKill = true
            }
        }

        var killed: Bool { lock.withLock { didKill } }
        var all: [(String, Int64, String)] { lock.withLock { answers } }
    }
}
