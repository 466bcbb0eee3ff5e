import TestSupport
import XCTest

/// `--gallery postgres://...`: a URL that cannot be right is a usage error (64) found before anything runs;
/// a server that cannot be reached is EX_UNAVAILABLE (69), for the commands and for `serve` at its start. The
/// password never appears. Port 1 on loopback: nothing listens there, so the connection is refused at once.
final class GalleryURLStatusTests: XCTestCase {
    let unreachable = "postgres://ann:s3cret@127.0.0.1:1/faces?sslmode=disable"

    func testABadURLIs64AndAnUnreachableServerIs69() throws {
        try FacenetProcess.requireBinary()
        for (arguments, status, message) in [
            (["gallery", "list", "--gallery", "postgres://ann:s3cret@127.0.0.1:1/faces?colour=red"], 64, "unknown parameter 'colour'"),
            (["gallery", "list", "--gallery", "postgres://ann:s3cret@127.0.0.1:99999/faces"], 64, "port '99999'"),
            (["gallery", "list", "--gallery", unreachable], 69, "postgres://ann@127.0.0.1:1/faces: cannot connect to PostgreSQL"),
            (["gallery", "stats", "--gallery", unreachable], 69, "cannot connect to PostgreSQL"),
            (["serve", "--gallery", unreachable, "--port", "0"], 69, "cannot connect to PostgreSQL"),
        ] {
            let r = try FacenetProcess.run(arguments)
            XCTAssertEqual(r.status, Int32(status), "\(arguments): \(r.text)")
            XCTAssertTrue(r.error.contains(message), "\(arguments): '\(message)' not in \(r.error)")
            XCTAssertFalse(r.text.contains("s3cret"), "\(arguments): the password was printed: \(r.text)")
        }
    }
}
