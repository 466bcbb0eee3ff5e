import Foundation
import Support
import TestSupport
import Vision
import XCTest

@testable import Alignment

/// Large photos are detected on a copy shrunk to `maxDetectionSide` (DetectionCopy): faces mapped back
/// to source pixels agree with detection on the full image and with the small original the photo was
/// made from; align crops from the full-resolution pixels.
final class LargePhotoTests: XCTestCase {
    /// Aaron_Eckhart_0001.jpg (250x250) scaled to 1000 px (bicubic) and pasted at (1500, 900) into a
    /// gray 4000x3000 frame: a 12-megapixel photo with a face box of about 380 px. The reference for the
    /// 1600 px copy of it: the same photo made directly at 1600x1200 (the face scaled to 400 px, pasted
    /// at (600, 360)), detected without any copy.
    static let source = AlignFixtures.lfw + "/Aaron_Eckhart/Aaron_Eckhart_0001.jpg"
    private static let made: Result<(folder: TemporaryFolder, large: String, small: String), Error> = Result {
        let folder = try TemporaryFolder("align-large")
        try FileManager.default.createDirectory(atPath: folder.file("in/big"), withIntermediateDirectories: true)
        let large = folder.file("in/big/photo.jpg")
        let small = folder.file("small.jpg")
        for (path, size) in [(large, ["4000", "3000", "1000", "1500", "900"]), (small, ["1600", "1200", "400", "600", "360"])] {
            _ = try Reference.run(
                python: "/usr/bin/python3", script: "make_large_face_photo.py", arguments: [source, path] + size)
        }
        return (folder, large, small)
    }

    static func photo() throws -> String { try made.get().large }

    func testCopySizeAndMappingHandComputed() {
        let copy = DetectionCopy(sourceWidth: 4000, sourceHeight: 3000, maxSide: 1600)
        XCTAssertEqual([copy.width, copy.height], [1600, 1200])
        XCTAssertEqual([copy.toSourceX, copy.toSourceY], [2.5, 2.5])
        let face = DetectedFace(
            box: FaceBox(x1: 100, y1: 200, x2: 300, y2: 400.5), score: 0.99,
            landmarks: [Point2D(150, 250), Point2D(250, 250), Point2D(200, 300), Point2D(160, 350), Point2D(240, 350)])
        let mapped = copy.toSource(face)
        XCTAssertEqual(mapped.box, FaceBox(x1: 250, y1: 500, x2: 750, y2: 1001.25))
        XCTAssertEqual(mapped.score, 0.99)
        XCTAssertEqual(mapped.landmarks[0], Point2D(375, 625))
        XCTAssertEqual(mapped.landmarks[4], Point2D(600, 875))

        // Portrait, the short side rounded: 6001 * 1600 / 8000 = 1200.2 -> 1200 columns.
        let tall = DetectionCopy(sourceWidth: 6001, sourceHeight: 8000, maxSide: 1600)
        XCTAssertEqual([tall.width, tall.height], [1200, 1600])
        XCTAssertEqual(tall.toSourceX, 6001.0 / 1200, accuracy: 1e-12)
        XCTAssertEqual(tall.toSourceY, 5)
        // At or under the bound, and with the bound off, the detector sees the source.
        XCTAssertTrue(DetectionCopy(sourceWidth: 1600, sourceHeight: 900, maxSide: 1600).isSource)
        XCTAssertTrue(DetectionCopy(sourceWidth: 8000, sourceHeight: 8000, maxSide: 0).isSource)
        XCTAssertEqual(DetectionCopy(sourceWidth: 1600, sourceHeight: 900, maxSide: 1600).toSource(face), face)
    }

    /// The face found on the 1600 px copy, mapped to source pixels, is the face found on the photo made
    /// at 1600x1200 directly, times 2.5 (within 1% of the box width: the two differ only in resampling;
    /// measured 0.5 px of 380);
    /// and it agrees with the face found on the full 4000x3000 image within 8% of the box width (MTCNN's
    /// boxes of one face at two scales differ by that much: measured 29 px of a 395 px box, 7%).
    func testBoundedDetectionMapsBackToSourcePixels() throws {
        let networks = try AlignFixtures.detector().networks
        let full = try MTCNNDetector(networks: networks, options: DetectorOptions(maxDetectionSide: 0))
        let bounded = try MTCNNDetector(networks: networks, options: DetectorOptions(maxDetectionSide: 1600))
        let image = try Image.load(path: Self.photo())
        XCTAssertEqual(try bounded.prepare(image).width, 1600)

        let small = try bounded.detect(try Image.load(path: Self.made.get().small))
        XCTAssertEqual(small.count, 1)
        let expected = DetectionCopy(sourceWidth: 4000, sourceHeight: 3000, maxSide: 1600).toSource(small[0])
        XCTAssertEqual(expected.box.x1, small[0].box.x1 * 2.5)  // the reference's own mapping, by hand

        let onCopy = try bounded.detect(image)
        let onFull = try full.detect(image)
        XCTAssertEqual(onCopy.count, 1)
        XCTAssertEqual(onFull.count, 1)
        let width = Double(expected.box.width)
        XCTAssertEqual(width, 380, accuracy: 40)
        assertClose(onCopy[0], expected, 0.01 * width, "copy against the photo made at 1600 px")
        assertClose(onCopy[0], onFull[0], 0.08 * width, "copy against full")
    }

    func assertClose(_ a: DetectedFace, _ b: DetectedFace, _ tolerance: Double, _ label: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        let pairs = [(a.box.x1, b.box.x1), (a.box.y1, b.box.y1), (a.box.x2, b.box.x2), (a.box.y2, b.box.y2)]
        for (k, (u, v)) in pairs.enumerated() {
            XCTAssertEqual(Double(u), Double(v), accuracy: tolerance, "\(label): box[\(k)] \(a.box) against \(b.box)",
                           file: file, line: line)
        }
        for (k, (p, q)) in zip(a.landmarks, b.landmarks).enumerated() {
            XCTAssertEqual(p.x, q.x, accuracy: tolerance, "\(label): landmark \(k) x", file: file, line: line)
            XCTAssertEqual(p.y, q.y, accuracy: tolerance, "\(label): landmark \(k) y", file: file, line: line)
        }
    }

    /// align on the 12-megapixel photo (detected on the 1600 px copy): the PNG is exactly the bilinear
    /// resize of the full-resolution pixels inside the recorded rectangle, not the copy's pixels.
    func testAlignCropsFromTheFullResolutionImage() throws {
        let folder = try TemporaryFolder("align-large-out")
        let input = (try Self.photo() as NSString).deletingLastPathComponent
        let job = AlignJob(input: (input as NSString).deletingLastPathComponent, output: folder.file("out"))
        let report = try job.run(detector: AlignFixtures.detector(), log: { _ in })
        XCTAssertEqual(report.aligned, 1)
        let record = RecordFile.lines(folder.file("out/bounding_boxes.txt"))
        XCTAssertEqual(record.count, 1)
        let fields = record[0].split(separator: " ")
        XCTAssertEqual(fields[0], "big/photo.png")
        let r = fields[1...4].map { Int($0)! }
        let image = try Image.load(path: Self.photo())
        let crop = try Image.load(path: folder.file("out/big/photo.png"))
        let fromFull = image.cropped(x0: r[0], y0: r[1], x1: r[2], y1: r[3])!.resized(width: 160, height: 160)
        XCTAssertEqual(crop, fromFull)
        // The same rectangle taken from the 1600x1200 copy and resized gives other pixels.
        let copy = image.resized(width: 1600, height: 1200, interpolation: .area)
        let fromCopy = copy.cropped(x0: r[0] * 2 / 5, y0: r[1] * 2 / 5, x1: r[2] * 2 / 5, y1: r[3] * 2 / 5)!
            .resized(width: 160, height: 160)
        XCTAssertNotEqual(crop, fromCopy)
    }
}
