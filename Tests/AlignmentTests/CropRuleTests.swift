import Support
import Vision
import XCTest

@testable import Alignment

final class CropRuleTests: XCTestCase {
    func testMarginCropHandComputed() {
        // x0 = trunc(max(50.7 - 16, 0)) = 34, y0 = trunc(44.2) = 44, x1 = trunc(min(166.9, 200)) = 166,
        // y1 = trunc(min(186.4, 180)) = 180.
        let box = FaceBox(x1: 50.7, y1: 60.2, x2: 150.9, y2: 170.4)
        let r = CropRule.rectangle(box, margin: 32, imageWidth: 200, imageHeight: 180)
        XCTAssertTrue(r! == (34, 44, 166, 180))
        // Clamped at 0 on the left and top.
        let corner = CropRule.rectangle(FaceBox(x1: 10, y1: -3, x2: 60, y2: 50), margin: 32, imageWidth: 100, imageHeight: 100)
        XCTAssertTrue(corner! == (0, 0, 76, 66))
        XCTAssertNil(CropRule.rectangle(FaceBox(x1: 300, y1: 10, x2: 350, y2: 60), margin: 32, imageWidth: 100, imageHeight: 100))
    }

    func testCropTakesThosePixelsAndResizes() throws {
        // A 40x30 image whose pixel (x, y) is (x, y, 7); the crop of box (12, 10, 20, 17) with margin 4 is
        // columns 10..<22, rows 8..<19: 12x11 pixels starting at (10, 8).
        var pixels = [UInt8]()
        for y in 0..<30 { for x in 0..<40 { pixels += [UInt8(x), UInt8(y), 7] } }
        let image = Image(width: 40, height: 30, pixels: pixels)
        let box = FaceBox(x1: 12, y1: 10, x2: 20, y2: 17)
        XCTAssertTrue(CropRule.rectangle(box, margin: 4, imageWidth: 40, imageHeight: 30)! == (10, 8, 22, 19))
        let same = try XCTUnwrap(CropRule.crop(image, box: box, margin: 4, imageSize: 12))
        XCTAssertEqual(same.width, 12)
        XCTAssertEqual(same[0, 0], RGB(10, 8, 7))
        let big = try XCTUnwrap(CropRule.crop(image, box: box, margin: 4, imageSize: 160))
        XCTAssertEqual(big.width, 160)
        XCTAssertEqual(big.height, 160)
    }

    func testFaceChoicePrefersLargeAndCentral() {
        func face(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float) -> DetectedFace {
            DetectedFace(box: FaceBox(x1: x1, y1: y1, x2: x2, y2: y2), score: 0.9, landmarks: [])
        }
        // 3600 - 2 * (20^2 + 20^2) = 2000 beats 1600 - 2 * (5^2 + 5^2) = 1500.
        XCTAssertEqual(FaceChoice.pick([face(35, 35, 75, 75), face(0, 0, 60, 60)], imageWidth: 100, imageHeight: 100), 1)
        // 1600 - 0 beats 2500 - 2 * (25^2 + 25^2) = 0.
        XCTAssertEqual(FaceChoice.pick([face(0, 0, 50, 50), face(30, 30, 70, 70)], imageWidth: 100, imageHeight: 100), 1)
        XCTAssertEqual(FaceChoice.score(FaceBox(x1: 0, y1: 0, x2: 50, y2: 50), imageWidth: 100, imageHeight: 100), 0)
        XCTAssertNil(FaceChoice.pick([], imageWidth: 10, imageHeight: 10))
    }

    func testShard() throws {
        let s = try Shard(parsing: "1/3")
        XCTAssertEqual((0..<9).filter(s.contains), [1, 4, 7])
        XCTAssertThrowsError(try Shard(parsing: "3/3"))
        XCTAssertThrowsError(try Shard(parsing: "a/3"))
        XCTAssertThrowsError(try Shard(parsing: "1/0"))
        // Every image in exactly one shard.
        let shards = (0..<4).map { Shard(index: $0, count: 4) }
        for i in 0..<50 { XCTAssertEqual(shards.filter { $0.contains(i) }.count, 1) }
    }

    func testSimilarityTemplateMapsLandmarksOntoIt() throws {
        // Landmarks that are the template itself scaled by 2 and shifted: the warp is their inverse.
        let template = SimilarityTemplate.points(imageSize: 160)
        XCTAssertEqual(template[0].x, 38.2946 * 160 / 112, accuracy: 1e-9)
        let landmarks = SimilarityTemplate.arcface112.map { Point2D($0.x * 2 + 30, $0.y * 2 + 10) }
        let t = try XCTUnwrap(SimilarityTemplate.transform(landmarks: landmarks, imageSize: 112))
        for (p, q) in zip(landmarks, SimilarityTemplate.arcface112) {
            let m = t.apply(p)
            XCTAssertEqual(m.x, q.x, accuracy: 1e-9)
            XCTAssertEqual(m.y, q.y, accuracy: 1e-9)
        }
        XCTAssertNil(SimilarityTemplate.transform(landmarks: Array(repeating: Point2D(3, 3), count: 5), imageSize: 112))
    }

    func testCSVQuotingAndFirstField() {
        let line = CSV.line(["a, \"b\".jpg", "no-face", "x"])
        XCTAssertEqual(line, "\"a, \"\"b\"\".jpg\",no-face,x\n")
        XCTAssertEqual(CSV.firstField(Substring(line.dropLast())), "a, \"b\".jpg")
        XCTAssertEqual(CSV.firstField("plain/path.jpg,no-face,x"), "plain/path.jpg")
    }
}
