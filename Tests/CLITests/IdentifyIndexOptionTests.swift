import TestSupport
import XCTest

/// `facenet identify --index / --ef-search / --hnsw-m`: values out of range are usage errors (status 64)
/// naming the option, found before any file is read.
final class IdentifyIndexOptionTests: XCTestCase {
    func testBadIndexOptionsRefused() throws {
        try FacenetProcess.requireBinary()
        for (arguments, message) in [
            (["--index", "bogus"], "Please provide one of 'exact' and 'hnsw'"),
            (["--index", "hnsw", "--ef-search", "0"], "--ef-search must be in 1...65536, got 0"),
            (["--index", "hnsw", "--hnsw-m", "1"], "--hnsw-m must be in 2...256, got 1"),
        ] {
            let r = try FacenetProcess.run(["identify", "missing.jpg", "--gallery", "missing.db"] + arguments)
            XCTAssertEqual(r.status, 64, r.text)
            XCTAssertTrue(r.error.contains(message), r.error)
        }
    }
}
