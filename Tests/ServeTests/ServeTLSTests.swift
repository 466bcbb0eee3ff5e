import Foundation
import Support
import TestSupport
import XCTest

/// `--tls-cert/--tls-key`: the service answers HTTPS (checked with curl against the certificate, an independent
/// TLS client) and nothing in clear text; a key that is not PEM is refused before the model loads.
final class ServeTLSTests: XCTestCase {
    func testHTTPSWithACertificateAndNotInClearText() throws {
        let fixture = try ServeFixture.shared()
        for tool in ["/usr/bin/openssl", "/usr/bin/curl"] { try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing") }
        let folder = try TemporaryFolder("facenet-serve-tls")
        let (certificate, key) = (folder.file("cert.pem"), folder.file("key.pem"))
        let made = try Subprocess.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        XCTAssertEqual(made.status, 0, made.text)

        let refused = try FacenetProcess.run(["serve", "--gallery", fixture.gallery, "--tls-cert", key, "--tls-key", certificate])
        XCTAssertEqual(refused.status, ExitStatus.failure, refused.text)
        XCTAssertTrue(refused.error.contains("not a PEM certificate and private key"), refused.text)

        let server = try ServeProcess(gallery: fixture.gallery, arguments: ["--tls-cert", certificate, "--tls-key", key])
        XCTAssertTrue(server.log.contains("listening on https://127.0.0.1:\(server.port)"), server.log)
        let https = "https://127.0.0.1:\(server.port)"
        let recognized = try Subprocess.run("/usr/bin/curl", [
            "-sS", "--cacert", certificate, "-H", "x-api-key: \(fixture.readKey)",
            "-F", "file=@\(ServeFixture.photo("Gerhard_Schroeder", 3))", https + "/api/v1/recognize",
        ])
        XCTAssertEqual(recognized.status, 0, recognized.text)
        XCTAssertTrue(recognized.output.contains("\"name\": \"Gerhard_Schroeder\""), recognized.text)
        // Without the certificate curl refuses the server; in clear text the server answers nothing HTTP.
        XCTAssertNotEqual(try Subprocess.run("/usr/bin/curl", ["-sS", https + "/health"]).status, 0)
        let clear = try Subprocess.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.port)/health"])
        XCTAssertFalse(clear.output.hasPrefix("2"), clear.text)
    }
}
