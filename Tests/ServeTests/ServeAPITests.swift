import Foundation
import Serve
import Support
import TestSupport
import XCTest
import Yams

/// `facenet serve` as a client meets it, on one running service (its start loads the model once): names
/// against the folders they come from and against `facenet identify`, keys, bad input, limits, the
/// document, the metrics, and an index that follows enroll and delete.
final class ServeAPITests: XCTestCase {
    nonisolated(unsafe) static var fixture: ServeFixture?
    nonisolated(unsafe) static var server: ServeProcess?
    /// `facenet identify`'s lines for `probes`, run while the service starts (each loads the model).
    nonisolated(unsafe) static var identified: FacenetProcess.Result?

    static let probes = ServeFixture.people.map { ($0, ServeFixture.photo($0, 3)) }
        + ServeFixture.strangers.map { (nil as String?, ServeFixture.photo($0, 1)) }

    override class func setUp() {
        super.setUp()
        do {
            let made = try ServeFixture.shared()
            fixture = made
            let identify = Thread {
                identified = try? FacenetProcess.run(["identify", "--gallery", made.gallery] + probes.map(\.1))
            }
            identify.start()
            server = try ServeProcess(gallery: made.gallery, arguments: ["--max-wait-ms", "20", "--request-timeout", "5"])
            while !identify.isFinished { usleep(20_000) }
        } catch {
            print("ServeAPITests: no service: \(error)")
        }
    }

    override class func tearDown() {
        server = nil
        super.tearDown()
    }

    func service() throws -> (ServeFixture, ServeProcess) {
        try PhotoFixtures.requireData()
        return (try XCTUnwrap(Self.fixture), try XCTUnwrap(Self.server))
    }

    /// An enrolled person's other photo is named; strangers are "unknown"; each face's name, distance and
    /// threshold equal `facenet identify`'s for the same photo and gallery.
    func testRecognizeNamesEnrolledPeopleAndNotStrangers() throws {
        let (fixture, server) = try service()
        let identify = try XCTUnwrap(Self.identified)
        XCTAssertEqual(identify.status, 0, identify.text)
        let lines = try PhotoFixtures.lines(identify.output)
        for (person, path) in Self.probes {
            let reply = try HTTP.upload(server.base + "/api/v1/recognize", key: fixture.readKey, [("file", try Data(contentsOf: URL(fileURLWithPath: path)))])
            XCTAssertEqual(reply.status, 200, reply.text)
            let faces = try XCTUnwrap(reply.json?["faces"] as? [[String: Any]])
            let expected = lines.filter { $0["path"] as? String == path }
            XCTAssertEqual(faces.count, expected.count, path)
            // The largest face is the person's (LFW centres them).
            let main = try XCTUnwrap(faces.max { Self.area($0) < Self.area($1) })
            XCTAssertEqual(main["name"] as? String, person ?? "unknown", "\(path): \(main)")
            for (face, line) in zip(faces, expected) {
                XCTAssertEqual(face["name"] as? String, line["name"] as? String, path)
                XCTAssertEqual(try XCTUnwrap(face["distance"] as? Double), try XCTUnwrap(line["distance"] as? Double), accuracy: 1e-4, path)
                XCTAssertEqual((face["threshold"] as? [String: Any])?["value"] as? Double, 0.61)
                XCTAssertEqual((face["top_k"] as? [Any])?.count, 3)
            }
        }
        // top_k and threshold parameters: threshold 0 names nobody.
        let strict = try HTTP.upload(server.base + "/api/v1/recognize?top_k=1&threshold=0", key: fixture.readKey, [("file", try ServeFixture.bytes("Tony_Blair", 3))])
        let face = try XCTUnwrap((strict.json?["faces"] as? [[String: Any]])?.first)
        XCTAssertEqual(face["name"] as? String, "unknown")
        XCTAssertEqual((face["top_k"] as? [Any])?.count, 1)
        XCTAssertEqual((face["threshold"] as? [String: Any])?["origin"] as? String, "request parameter threshold")
    }

    static func area(_ face: [String: Any]) -> Double {
        let b = face["box"] as? [Double] ?? [0, 0, 0, 0]
        return (b[2] - b[0]) * (b[3] - b[1])
    }

    /// No key 401, a key of another gallery 401, a read key on a write route 403; public routes need none.
    func testKeysAndRoles() throws {
        let (fixture, server) = try service()
        let photo = [("file", try ServeFixture.bytes("Tony_Blair", 4))]
        let none = try HTTP.upload(server.base + "/api/v1/recognize", key: nil, photo)
        XCTAssertEqual(none.status, 401)
        XCTAssertEqual(none.error?.code, "missing_api_key")
        let wrong = try HTTP.upload(server.base + "/api/v1/recognize", key: "fnk_" + String(repeating: "0", count: 64), photo)
        XCTAssertEqual(wrong.status, 401)
        XCTAssertEqual(wrong.error?.code, "invalid_api_key")
        let readOnWrite = try HTTP.upload(server.base + "/api/v1/subjects/Tony_Blair/faces", key: fixture.readKey, photo)
        XCTAssertEqual(readOnWrite.status, 403)
        XCTAssertTrue(readOnWrite.error?.message.contains("needs role 'write'") ?? false, readOnWrite.text)
        let readDelete = try HTTP.send(server.base + "/api/v1/subjects/Tony_Blair", method: "DELETE", headers: ["x-api-key": fixture.readKey])
        XCTAssertEqual(readDelete.status, 403)
        XCTAssertEqual(try HTTP.send(server.base + "/api/v1/subjects", headers: ["x-api-key": fixture.writeKey]).status, 200)
        XCTAssertEqual(try HTTP.send(server.base + "/health").status, 200)
        XCTAssertEqual(try HTTP.send(server.base + "/api/v1/subjects").status, 401)
    }

    /// Every bad input is a 4xx with a JSON error whose message names the problem.
    func testBadInputAnsweredWithTheProblem() throws {
        let (fixture, server) = try service()
        let recognize = server.base + "/api/v1/recognize"
        let jpeg = try ServeFixture.bytes("Tony_Blair", 4)
        let bigPNG = fixture.folder.file("big.png")
        _ = try Reference.run(python: "/usr/bin/python3", script: "serve_big_png.py", arguments: [bigPNG])
        let multipart = { (parts: [(name: String, data: Data)]) in try HTTP.upload(recognize, key: fixture.readKey, parts) }
        let json = { (body: String) in
            try HTTP.send(recognize, method: "POST", headers: ["x-api-key": fixture.readKey, "Content-Type": "application/json"], body: Data(body.utf8))
        }
        let cases: [(String, HTTPReply, Int, String, String)] = [
            ("truncated JPEG", try multipart([("file", jpeg.prefix(jpeg.count / 2))]), 422, "truncated_image", "truncated"),
            ("text as image", try multipart([("file", Data("this is not a photo\n".utf8))]), 422, "not_an_image", "not an image"),
            ("20000x20000 PNG", try multipart([("file", try Data(contentsOf: URL(fileURLWithPath: bigPNG)))]), 413, "image_too_large", "20000x20000 = 400000000 pixels"),
            ("empty multipart body", try HTTP.send(recognize, method: "POST", headers: ["x-api-key": fixture.readKey, "Content-Type": "multipart/form-data; boundary=xyz"], body: Data()), 400, "empty_body", "empty"),
            ("wrong field name", try multipart([("photo", jpeg)]), 400, "missing_image", "no multipart field 'file' holding an image (sent: 'photo')"),
            ("verify without file2", try HTTP.upload(server.base + "/api/v1/verify", key: fixture.readKey, [("file1", jpeg), ("file", jpeg)]), 400, "missing_image", "'file2'"),
            ("malformed JSON", try json("{\"image\": "), 400, "malformed_json", "not valid JSON"),
            ("JSON with the wrong member", try json("{\"img\": \"AAAA\"}"), 400, "missing_image", "no JSON member 'image'"),
            ("not base64", try json("{\"image\": \"***\"}"), 400, "malformed_base64", "not base64"),
            ("unsupported media type", try HTTP.send(recognize, method: "POST", headers: ["x-api-key": fixture.readKey, "Content-Type": "text/plain"], body: jpeg), 415, "unsupported_media_type", "text/plain"),
            ("bad top_k", try HTTP.upload(recognize + "?top_k=0", key: fixture.readKey, [("file", jpeg)]), 400, "invalid_parameter", "top_k"),
            ("unknown subject", try HTTP.send(server.base + "/api/v1/subjects/Nobody_Here/faces", headers: ["x-api-key": fixture.readKey]), 404, "not_found", "no subject named 'Nobody_Here'"),
            ("delete unknown subject", try HTTP.send(server.base + "/api/v1/subjects/Nobody_Here", method: "DELETE", headers: ["x-api-key": fixture.writeKey]), 404, "not_found", "Nobody_Here"),
            ("unknown face", try HTTP.send(server.base + "/api/v1/subjects/Tony_Blair/faces/999999", method: "DELETE", headers: ["x-api-key": fixture.writeKey]), 404, "not_found", "no face with id 999999"),
            ("name with a slash", try HTTP.upload(server.base + "/api/v1/subjects/a%2Fb/faces", key: fixture.writeKey, [("file", jpeg)]), 400, "invalid_name", "slashes or control characters"),
            ("name with a control character", try HTTP.upload(server.base + "/api/v1/subjects/a%07b/faces", key: fixture.writeKey, [("file", jpeg)]), 400, "invalid_name", "U+0007"),
            ("subject JSON without a name", try HTTP.send(server.base + "/api/v1/subjects", method: "POST", headers: ["x-api-key": fixture.writeKey, "Content-Type": "application/json"], body: Data("{\"name\": 1}".utf8)), 400, "missing_subject", "'subject'"),
            ("missing key", try HTTP.upload(recognize, key: nil, [("file", jpeg)]), 401, "missing_api_key", "x-api-key"),
            ("wrong key", try HTTP.upload(recognize, key: "not-a-key", [("file", jpeg)]), 401, "invalid_api_key", "no key of this gallery"),
            ("no route", try HTTP.send(server.base + "/api/v2/recognize"), 404, "no_route", "/api/v2/recognize"),
            ("wrong method", try HTTP.send(recognize, headers: ["x-api-key": fixture.readKey]), 405, "method_not_allowed", "/api/v1/recognize takes POST, not GET"),
            ("wrong method on a path with a name", try HTTP.send(server.base + "/api/v1/subjects/Tony_Blair/faces", method: "PUT", headers: ["x-api-key": fixture.writeKey]), 405, "method_not_allowed", "takes POST, GET, not PUT"),
        ]
        for (what, reply, status, code, words) in cases {
            XCTAssertEqual(reply.status, status, "\(what): \(reply.text)")
            XCTAssertEqual(reply.headers["content-type"], "application/json", what)
            XCTAssertEqual(reply.error?.code, code, "\(what): \(reply.text)")
            XCTAssertTrue(reply.error?.message.contains(words) ?? false, "\(what): '\(words)' not in \(reply.text)")
        }
        // The service is still up and right after all of that.
        XCTAssertEqual(try HTTP.send(server.base + "/health").status, 200)
    }

    /// A body over the limit (10 MB by default) is refused with 413 before it is read.
    func testBodyOverLimitIs413() throws {
        let (fixture, server) = try service()
        let reply = try HTTP.upload(server.base + "/api/v1/detect", key: fixture.readKey, [("file", Data(count: 11 << 20))])
        XCTAssertEqual(reply.status, 413, reply.text)
        XCTAssertEqual(reply.error?.code, "body_too_large")
        XCTAssertTrue(reply.error?.message.contains("limit of 10485760 bytes") ?? false, reply.text)
    }

    /// The document served at /openapi.yaml lists exactly the routes the router has (Route.allCases).
    func testOpenAPIDocumentEqualsTheRoutes() throws {
        let (_, server) = try service()
        let reply = try HTTP.send(server.base + "/openapi.yaml")
        XCTAssertEqual(reply.status, 200)
        let document = try XCTUnwrap(try Yams.load(yaml: reply.text) as? [String: Any])
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in item.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(Route.allCases.map { "\($0.method.rawValue) \($0.path)" })
        XCTAssertEqual(documented, routed)
        // Public routes are marked so; every other one needs the key.
        for route in Route.allCases {
            let operation = paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any]
            XCTAssertEqual((operation?["security"] as? [Any])?.isEmpty ?? false, route.role == nil, "\(route)")
        }
    }

    /// The index follows enroll and delete without a restart; /health and /metrics count the gallery.
    func testEnrollAndDeleteFollowedByTheIndex() throws {
        let (fixture, server) = try service()
        let probe = [("file", try ServeFixture.bytes("Angela_Merkel", 2))]
        let before = try HTTP.upload(server.base + "/api/v1/recognize", key: fixture.readKey, probe)
        XCTAssertEqual((before.json?["faces"] as? [[String: Any]])?.first?["name"] as? String, "unknown", before.text)
        let enrolled = try HTTP.upload(server.base + "/api/v1/subjects/Angela%20Merkel/faces", key: fixture.writeKey, [("file", try ServeFixture.bytes("Angela_Merkel", 1))])
        XCTAssertEqual(enrolled.status, 200, enrolled.text)
        XCTAssertEqual(enrolled.json?["subject"] as? String, "Angela Merkel")
        let after = try HTTP.upload(server.base + "/api/v1/recognize", key: fixture.readKey, probe)
        XCTAssertEqual((after.json?["faces"] as? [[String: Any]])?.first?["name"] as? String, "Angela Merkel", after.text)
        let faces = try HTTP.send(server.base + "/api/v1/subjects/Angela%20Merkel/faces", headers: ["x-api-key": fixture.readKey])
        XCTAssertEqual((faces.json?["faces"] as? [[String: Any]])?.map { $0["face_id"] as? Int }, [enrolled.json?["face_id"] as? Int])
        let health = try HTTP.send(server.base + "/health").json
        XCTAssertEqual(health?["faces"] as? Int, 2 * ServeFixture.people.count + 1)
        let metrics = try HTTP.send(server.base + "/metrics").text
        XCTAssertTrue(metrics.contains("facenet_gallery_faces \(2 * ServeFixture.people.count + 1)"), metrics)
        let deleted = try HTTP.send(server.base + "/api/v1/subjects/Angela%20Merkel", method: "DELETE", headers: ["x-api-key": fixture.writeKey])
        XCTAssertEqual(deleted.status, 200, deleted.text)
        let gone = try HTTP.upload(server.base + "/api/v1/recognize", key: fixture.readKey, probe)
        XCTAssertEqual((gone.json?["faces"] as? [[String: Any]])?.first?["name"] as? String, "unknown", gone.text)
    }

    /// Concurrent requests share detector passes and forward passes (the batch histograms say so), and each
    /// still gets its own photo's answer.
    func testConcurrentRequestsAreBatched() throws {
        let (fixture, server) = try service()
        let people = ServeFixture.people
        let bodies = try people.map { [("file", try ServeFixture.bytes($0, 4))] }
        let names = Names(count: people.count)
        DispatchQueue.concurrentPerform(iterations: people.count) { k in
            let reply = try? HTTP.upload(server.base + "/api/v1/recognize", key: fixture.readKey, bodies[k])
            names.set(k, ((reply?.json?["faces"] as? [[String: Any]])?.max { Self.area($0) < Self.area($1) })?["name"] as? String)
        }
        XCTAssertEqual(names.values, people)
        let metrics = try HTTP.send(server.base + "/metrics").text
        func value(_ name: String) -> Double {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        }
        // More photos than detector passes: some passes held several photos.
        XCTAssertGreaterThan(value("facenet_batch_photos_sum"), value("facenet_batch_photos_count"), metrics)
        XCTAssertTrue(metrics.contains("facenet_http_requests_total{route=\"/api/v1/recognize\",method=\"POST\",status=\"200\"}"), metrics)
        XCTAssertTrue(metrics.contains("facenet_http_request_duration_seconds_bucket{route=\"/api/v1/recognize\""), metrics)
    }

    private final class Names: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String?]
        init(count: Int) { names = Array(repeating: nil, count: count) }
        func set(_ k: Int, _ name: String?) { lock.withLock { names[k] = name } }
        var values: [String] { lock.withLock { names.map { $0 ?? "-" } } }
    }

    /// Debian's chromium through Selenium loads the page, uploads an enrolled person's other photo and
    /// shows their name (the screenshot goes to $FACENET_SERVE_SCREENSHOT when set, e.g. docs/images/serve.png).
    func testBrowserShowsTheName() throws {
        let (fixture, server) = try service()
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "run scripts/setup.sh (chromium-driver)")
        let screenshot = ProcessInfo.processInfo.environment["FACENET_SERVE_SCREENSHOT"] ?? fixture.folder.file("serve.png")
        let output = try Reference.run(
            python: Self.servePython, script: "serve_browser.py",
            arguments: [server.base + "/", fixture.readKey, ServeFixture.photo("Colin_Powell", 7), screenshot])
        XCTAssertTrue(output.contains("face: Colin_Powell (distance"), output)
        XCTAssertTrue(output.contains("status: \n") || output.hasSuffix("status: "), output)
        XCTAssertGreaterThan((try FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0, 10_000)
    }

    /// schemathesis (bounded to 30 s) against /openapi.yaml with a write key: no 5xx, and every status,
    /// content type and body as the document says.
    func testSchemathesisFindsNothing() throws {
        let (fixture, server) = try service()
        let schemathesis = FacenetHome.path("venv-serve", "bin", "schemathesis")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: schemathesis), "run scripts/setup.sh (venv-serve)")
        let run = try Subprocess.run(schemathesis, [
            "run", server.base + "/openapi.yaml", "--url", server.base, "-H", "x-api-key: \(fixture.writeKey)",
            "-c", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-time", "30", "-n", "15", "--seed", "1", "--warnings", "off",
        ], in: fixture.folder.path)  // schemathesis keeps a .schemathesis cache in its working folder
        XCTAssertEqual(run.status, 0, String(run.output.suffix(6000)) + String(run.error.suffix(2000)))
        XCTAssertTrue(run.output.contains("No issues found"), String(run.output.suffix(3000)))
        XCTAssertEqual(try HTTP.send(server.base + "/health").status, 200, server.log)
    }

    static var servePython: String { FacenetHome.path("venv-serve", "bin", "python") }

    /// A client that stops sending in the middle of its body is answered 408 after --request-timeout (5 s here).
    func testStalledBodyIsAnswered408() throws {
        let (fixture, server) = try service()
        let (type, body) = HTTP.multipart([("file", try ServeFixture.bytes("Tony_Blair", 3))])
        let connection = try RawConnection(port: server.port)
        connection.write(Data("POST /api/v1/recognize HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: \(fixture.readKey)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n\r\n".utf8))
        connection.write(body.prefix(body.count / 2))
        let started = Date()
        let response = connection.readResponse(seconds: 20)
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 408"), response)
        XCTAssertTrue(response.contains("did not arrive within 5.0 s (--request-timeout)"), response)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }
}
