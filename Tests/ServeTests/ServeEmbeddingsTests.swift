import Foundation
import TestSupport
import XCTest

/// POST /api/v1/recognize/embeddings on ServeAPITests' service: an embedding from /api/v1/embed, sent back,
/// gets the very decision /api/v1/recognize gives the photo, whatever its length; bad vectors are 400s.
extension ServeAPITests {
    func testRecognizeEmbeddingsDecidesAsRecognizeDoes() throws {
        let (fixture, server) = try service()
        for (_, path) in Self.probes {
            let photo = [("file", try Data(contentsOf: URL(fileURLWithPath: path)))]
            let embedded = try XCTUnwrap(try HTTP.upload(server.base + "/api/v1/embed", key: fixture.readKey, photo).json?["faces"] as? [[String: Any]])
            let recognized = try XCTUnwrap(try HTTP.upload(server.base + "/api/v1/recognize?top_k=2", key: fixture.readKey, photo).json?["faces"] as? [[String: Any]])
            XCTAssertEqual(embedded.count, recognized.count, path)
            // Scaled by 3: the route brings each vector back to unit length.
            let vectors = try embedded.map { try XCTUnwrap($0["embedding"] as? [Double]).map { 3 * $0 } }
            let reply = try embeddings(server, fixture.readKey, ["embeddings": vectors], query: "?top_k=2")
            XCTAssertEqual(reply.status, 200, reply.text)
            let results = try XCTUnwrap(reply.json?["results"] as? [[String: Any]])
            XCTAssertEqual(results.count, recognized.count, path)
            for (result, face) in zip(results, recognized) {
                XCTAssertEqual(result["name"] as? String, face["name"] as? String, path)
                XCTAssertEqual(try XCTUnwrap(result["distance"] as? Double), try XCTUnwrap(face["distance"] as? Double), accuracy: 1e-4, path)
                XCTAssertEqual((result["top_k"] as? [[String: Any]])?.map { $0["name"] as? String }, (face["top_k"] as? [[String: Any]])?.map { $0["name"] as? String })
                XCTAssertNil(result["box"], "an embedding has no box")
            }
        }
        // threshold 0 names nobody, as on /recognize.
        let vector = try XCTUnwrap((try HTTP.upload(server.base + "/api/v1/embed", key: fixture.readKey, [("file", try ServeFixture.bytes("Tony_Blair", 3))]).json?["faces"] as? [[String: Any]])?.first?["embedding"] as? [Double])
        let strict = try embeddings(server, fixture.readKey, ["embeddings": [vector]], query: "?threshold=0")
        XCTAssertEqual((strict.json?["results"] as? [[String: Any]])?.first?["name"] as? String, "unknown", strict.text)
        XCTAssertEqual(try embeddings(server, nil, ["embeddings": [vector]]).status, 401)
    }

    func testRecognizeEmbeddingsRefusesBadVectors() throws {
        let (fixture, server) = try service()
        let embedded = try HTTP.upload(server.base + "/api/v1/embed", key: fixture.readKey, [("file", try ServeFixture.bytes("Tony_Blair", 3))])
        let size = try XCTUnwrap((embedded.json?["faces"] as? [[String: Any]])?.first?["embedding"] as? [Double]).count
        let unit = [1.0] + Array(repeating: 0.0, count: size - 1)
        let cases: [(String, HTTPReply, Int, String, String)] = [
            ("wrong size", try embeddings(server, fixture.readKey, ["embeddings": [[1.0, 0.0]]]), 400, "invalid_embedding", "embedding 0 has 2 values, the gallery's model has \(size)"),
            ("zero vector", try embeddings(server, fixture.readKey, ["embeddings": [unit, Array(repeating: 0.0, count: size)]]), 400, "invalid_embedding", "embedding 1 is not a finite, non-zero vector"),
            ("none", try embeddings(server, fixture.readKey, ["embeddings": [[Double]]()]), 400, "invalid_embedding", "send 1 to 1000 embeddings, got 0"),
            ("too many", try embeddings(server, fixture.readKey, ["embeddings": Array(repeating: [1.0], count: 1001)]), 400, "invalid_embedding", "got 1001"),
            ("no member", try embeddings(server, fixture.readKey, ["vectors": [unit]]), 400, "malformed_json", "member 'embeddings' is missing"),
            ("strings", try embeddings(server, fixture.readKey, ["embeddings": [["a"]]]), 400, "malformed_json", "embeddings.0.0"),
            ("not JSON", try send(server, fixture.readKey, "{\"embeddings\": [[", type: "application/json"), 400, "malformed_json", "must be JSON"),
            // 1e400 is past Double's range: Foundation's decoder refuses the text itself.
            ("overflow", try send(server, fixture.readKey, "{\"embeddings\": [[1e400" + String(repeating: ", 0", count: size - 1) + "]]}", type: "application/json"), 400, "malformed_json", "not valid JSON"),
            ("multipart", try send(server, fixture.readKey, "--x--", type: "multipart/form-data; boundary=x"), 415, "unsupported_media_type", "application/json"),
            ("bad top_k", try embeddings(server, fixture.readKey, ["embeddings": [unit]], query: "?top_k=500"), 400, "invalid_parameter", "top_k"),
        ]
        for (what, reply, status, code, words) in cases {
            XCTAssertEqual(reply.status, status, "\(what): \(reply.text)")
            XCTAssertEqual(reply.error?.code, code, "\(what): \(reply.text)")
            XCTAssertTrue(reply.error?.message.contains(words) ?? false, "\(what): '\(words)' not in \(reply.text)")
        }
    }

    private func embeddings(_ server: ServeProcess, _ key: String?, _ body: [String: Any], query: String = "") throws -> HTTPReply {
        try send(server, key, String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self), type: "application/json", query: query)
    }

    private func send(_ server: ServeProcess, _ key: String?, _ body: String, type: String, query: String = "") throws -> HTTPReply {
        var headers = ["Content-Type": type]
        if let key { headers["x-api-key"] = key }
        return try HTTP.send(server.base + "/api/v1/recognize/embeddings" + query, method: "POST", headers: headers, body: Data(body.utf8))
    }
}
