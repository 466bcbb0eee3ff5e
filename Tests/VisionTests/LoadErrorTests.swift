import Foundation
import TestSupport
import XCTest

@testable import Vision

/// Every way a file can fail to load gives its own reason and a message naming the file.
final class LoadErrorTests: XCTestCase {
    func testMissingFileIsUnreadable() throws {
        let folder = try TemporaryFolder("vision")
        let reason = loadFailure(folder.file("no such.jpg"))
        XCTAssertEqual(reason, .unreadable("No such file or directory"))
    }

    func testZeroByteFileIsUnreadable() throws {
        let folder = try TemporaryFolder("vision")
        try [UInt8]().write(to: folder.file("empty.jpg"))
        XCTAssertEqual(loadFailure(folder.file("empty.jpg")), .unreadable("the file is empty (0 bytes)"))
        // The same reason for empty bytes in memory.
        XCTAssertThrowsError(try Image.decode([])) { error in
            XCTAssertEqual((error as? ImageLoadError)?.reason, .unreadable("the file is empty (0 bytes)"))
        }
    }

    func testFolderIsUnreadable() throws {
        let folder = try TemporaryFolder("vision")
        try FileManager.default.createDirectory(atPath: folder.file("dir.jpg"), withIntermediateDirectories: false)
        XCTAssertEqual(loadFailure(folder.file("dir.jpg")), .unreadable("it is a folder, not a file"))
    }

    func testFileWithoutReadPermissionIsUnreadable() throws {
        try XCTSkipIf(geteuid() == 0, "root reads files whatever their mode")
        let folder = try TemporaryFolder("vision")
        let path = folder.file("secret.png")
        try PNGWriter.encode(width: 1, height: 1, colorType: .gray, bitDepth: 8, samples: [0]).write(to: path)
        chmod(path, 0)
        XCTAssertEqual(loadFailure(path), .unreadable("Permission denied"))
    }

    func testTextFileNamedJPEGIsNotAnImage() throws {
        let folder = try TemporaryFolder("vision")
        try Array("this is not a picture\n".utf8).write(to: folder.file("photo.jpg"))
        XCTAssertEqual(loadFailure(folder.file("photo.jpg")), .notAnImage)
    }

    func testCorruptPNGIsNotAnImage() throws {
        // Complete structure (IHDR, IDAT, IEND) but the IDAT is not zlib data: libpng fails.
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += PNGWriter.chunk("IHDR", PNGWriter.bigEndian32(4) + PNGWriter.bigEndian32(4) + [8, 2, 0, 0, 0])
        png += PNGWriter.chunk("IDAT", [UInt8](repeating: 0xAB, count: 40))
        png += PNGWriter.chunk("IEND", [])
        let folder = try TemporaryFolder("vision")
        try png.write(to: folder.file("corrupt.png"))
        XCTAssertEqual(loadFailure(folder.file("corrupt.png")), .notAnImage)
    }

    func testTruncatedJPEGIsReportedNotFilledWithGrey() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.lfwJPEG)))
        let folder = try TemporaryFolder("vision")
        let path = folder.file("half.jpg")
        try Array(bytes[0..<(bytes.count / 2)]).write(to: path)
        XCTAssertEqual(loadFailure(path), .truncated)
        // Cut just before the final FFD9 marker too.
        try Array(bytes[0..<(bytes.count - 2)]).write(to: path)
        XCTAssertEqual(loadFailure(path), .truncated)
    }

    func testTruncatedPNGIsReported() throws {
        let png = PNGWriter.encode(
            width: 8, height: 8, colorType: .rgb, bitDepth: 8, samples: (0..<192).map { $0 % 256 })
        let folder = try TemporaryFolder("vision")
        let path = folder.file("half.png")
        try Array(png[0..<(png.count / 2)]).write(to: path)
        XCTAssertEqual(loadFailure(path), .truncated)
    }

    func testHugeHeaderIsRefusedBeforeDecoding() throws {
        // Only a header: had it been decoded, the missing IDAT would make it "not an image".
        let folder = try TemporaryFolder("vision")
        let path = folder.file("huge.png")
        try PNGWriter.headerOnly(width: 20000, height: 20000).write(to: path)
        XCTAssertEqual(loadFailure(path), .tooLarge(width: 20000, height: 20000, limit: 100_000_000))
    }

    /// Headers alone (no pixel data) of TIFF (both byte orders), WebP and BMP: the size they claim is read
    /// before decoding, so a small file claiming 30000x30000 (2.7 GB decoded) is refused as too large.
    /// The same headers claiming 120x90 pass the default limit and then fail in the decoder (no data),
    /// and refuse a 10,000-pixel limit with exactly 120x90: both fields are read, not guessed.
    func testHugeHeadersOfOtherFormatsAreRefusedBeforeDecoding() throws {
        func le(_ v: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func be(_ v: Int, _ bytes: Int) -> [UInt8] { le(v, bytes).reversed() }
        func tiff(_ w: Int, _ h: Int, little: Bool) -> [UInt8] {
            let u16 = { little ? le($0, 2) : be($0, 2) }
            let u32 = { little ? le($0, 4) : be($0, 4) }
            // Width as LONG, height as SHORT (a SHORT sits in the first two bytes of the value field).
            return (little ? Array("II*\0".utf8) : Array("MM\0*".utf8)) + u32(8) + u16(2)
                + u16(256) + u16(4) + u32(1) + u32(w) + u16(257) + u16(3) + u32(1) + u16(h) + [0, 0] + u32(0)
        }
        func webp(_ w: Int, _ h: Int) -> [UInt8] {
            Array("RIFF".utf8) + le(22, 4) + Array("WEBPVP8X".utf8) + le(10, 4) + [0, 0, 0, 0] + le(w - 1, 3) + le(h - 1, 3)
        }
        func bmp(_ w: Int, _ h: Int) -> [UInt8] {  // BITMAPINFOHEADER, top-down (negative height)
            Array("BM".utf8) + le(54, 4) + le(0, 4) + le(54, 4) + le(40, 4) + le(w, 4) + le(-h, 4) + le(1, 2) + le(24, 2)
                + [UInt8](repeating: 0, count: 24)
        }
        let folder = try TemporaryFolder("vision")
        let formats: [(String, (Int, Int) -> [UInt8])] = [
            ("le.tif", { tiff($0, $1, little: true) }), ("be.tif", { tiff($0, $1, little: false) }), ("x.webp", webp),
            ("x.bmp", bmp),
        ]
        for (name, header) in formats {
            let huge = folder.file("huge-" + name)
            try header(30000, 30000).write(to: huge)
            XCTAssertEqual(loadFailure(huge), .tooLarge(width: 30000, height: 30000, limit: 100_000_000), name)
            let small = folder.file("small-" + name)
            try header(120, 90).write(to: small)
            XCTAssertEqual(loadFailure(small), .notAnImage, name)
            XCTAssertEqual(loadFailure(small, maxPixels: 10_000), .tooLarge(width: 120, height: 90, limit: 10_000), name)
        }
    }

    func testLimitAppliesToTheDecodedSize() throws {
        let folder = try TemporaryFolder("vision")
        let path = folder.file("small.png")
        try PNGWriter.encode(width: 4, height: 4, colorType: .gray, bitDepth: 8, samples: Array(repeating: 9, count: 16))
            .write(to: path)
        XCTAssertEqual(loadFailure(path, maxPixels: 15), .tooLarge(width: 4, height: 4, limit: 15))
        XCTAssertEqual(try Image.load(path: path, maxPixels: 16).width, 4)
        // A BMP has no header check in the shim: the limit is applied after decoding.
        let bmp = folder.file("small.bmp")
        let pattern = Fixtures.pattern(width: 5, height: 3)
        try BMPWriter.encode(pattern).write(to: bmp)
        XCTAssertEqual(try Image.load(path: bmp), pattern)
        XCTAssertEqual(loadFailure(bmp, maxPixels: 14), .tooLarge(width: 5, height: 3, limit: 14))
    }

    func testMessagesNameTheFileAndTheReason() {
        let error = ImageLoadError(path: "/data/x.jpg", reason: .tooLarge(width: 20000, height: 10000, limit: 100))
        XCTAssertEqual(
            error.description, "/data/x.jpg is 20000x10000 = 200000000 pixels, above the limit of 100 pixels")
        XCTAssertEqual(
            ImageLoadError(path: "a b.jpg", reason: .truncated).description,
            "a b.jpg is truncated: the image data ends before the format's end marker")
    }
}
