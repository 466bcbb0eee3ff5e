@testable import Export
import Foundation
import Support
import TestSupport
import Vision
import XCTest

/// Which calibration faces `--calibration DIR --calibration-count N` picks, and how each image is used.
final class TFLiteQuantizedCalibrationTests: XCTestCase {
    /// An image whose pixel (x, y) is (x, y, x + y) mod 256, so a crop's origin can be read off its pixels.
    func pattern(_ size: Int) -> Image {
        var pixels: [UInt8] = []
        for y in 0..<size { for x in 0..<size { pixels += [UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256)] } }
        return Image(width: size, height: size, pixels: pixels)
    }

    func testSelectionOrderAndSizes() throws {
        let folder = try TemporaryFolder()
        let root = folder.file("faces")
        for person in ["a", "b", "c"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(person)", withIntermediateDirectories: true)
        }
        try pattern(160).writePNG(to: "\(root)/a/1.png")  // input size: used as it is
        try pattern(250).writePNG(to: "\(root)/a/2.png")  // raw LFW size: centre crop from (45, 45)
        try pattern(100).writePNG(to: "\(root)/b/1.png")  // too small: skipped
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: "\(root)/c/1.jpg"))  // undecodable: skipped
        try pattern(200).writePNG(to: "\(root)/flat.png")  // directly in the root: its own list, crop from (20, 20)

        // One image per identity first (sorted), the root's own images as one more list, then the second round.
        let all = try CalibrationFaces(folder: root, count: 10)
        XCTAssertEqual(all.paths.map { String($0.dropFirst(root.count + 1)) }, ["a/1.png", "b/1.png", "c/1.jpg", "flat.png", "a/2.png"])
        XCTAssertEqual(try CalibrationFaces(folder: root, count: 2).paths.map { String($0.dropFirst(root.count + 1)) }, ["a/1.png", "b/1.png"])

        let (faces, skipped) = try all.load(size: 160)
        XCTAssertEqual(faces.count, 3)
        XCTAssertTrue(faces.allSatisfy { $0.width == 160 && $0.height == 160 })
        XCTAssertEqual(faces[0], pattern(160))
        XCTAssertEqual(Array(faces[1].pixels.prefix(3)), [20, 20, 40], "200x200 centre-cropped from (20, 20)")
        XCTAssertEqual(Array(faces[2].pixels.prefix(3)), [45, 45, 90], "250x250 centre-cropped from (45, 45)")
        XCTAssertEqual(skipped.map { ($0.0 as NSString).lastPathComponent }, ["1.png", "1.jpg"])
        XCTAssertTrue(skipped[0].1.contains("100x100 is smaller than the 160x160 input"), skipped[0].1)
    }

    func testNoUsableImageIsAnError() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("p"), withIntermediateDirectories: true)
        try pattern(64).writePNG(to: folder.file("p/small.png"))
        let faces = try CalibrationFaces(folder: folder.path, count: 5)
        XCTAssertThrowsError(try faces.load(size: 160)) {
            XCTAssertTrue("\($0)".contains("none of 1 images is usable"), "\($0)")
        }
        XCTAssertThrowsError(try CalibrationFaces(folder: folder.path, count: 0)) {
            XCTAssertTrue("\($0)".contains("--calibration-count must be at least 1"), "\($0)")
        }
    }

    /// The parameters a CONCATENATION hands back to its convolution inputs (hand-built graph).
    func testConcatenationParametersGoBackToConvolutionBranches() throws {
        var m = TFLiteModel(description: "concat")
        let x = m.addTensor(TFLiteTensor(name: "x", shape: [1, 2, 2, 1]))
        let w = m.addTensor(TFLiteTensor(name: "w", shape: [1, 1, 1, 1], buffer: m.addBuffer([Float(1)].withUnsafeBytes { Array($0) })))
        let b = m.addTensor(TFLiteTensor(name: "b", shape: [1], buffer: m.addBuffer([Float(0)].withUnsafeBytes { Array($0) })))
        let c = m.addTensor(TFLiteTensor(name: "c", shape: [1, 2, 2, 1]))
        let p = m.addTensor(TFLiteTensor(name: "p", shape: [1, 2, 2, 1]))
        let y = m.addTensor(TFLiteTensor(name: "y", shape: [1, 2, 2, 2]))
        m.operators = [
            TFLiteOperator(.conv2d, inputs: [x, w, b], outputs: [c], options: .conv2d(padding: .valid, strideW: 1, strideH: 1, activation: .none)),
            TFLiteOperator(.maxPool2d, inputs: [x], outputs: [p], options: .pool2d(padding: .valid, strideW: 1, strideH: 1, filterW: 1, filterH: 1, activation: .none)),
            TFLiteOperator(.concatenation, inputs: [c, p], outputs: [y], options: .concatenation(axis: 3, activation: .none)),
        ]
        let ranges: [Int: (min: Float, max: Float)] = [x: (-1, 1), c: (-0.5, 0.5), p: (-1, 1), y: (-1, 1)]
        let shared = try Int8Quantization.concatenationShared(m, ranges: ranges)
        XCTAssertEqual(Array(shared.keys), [c], "the max-pool branch keeps its input's parameters (it is requantised)")
        XCTAssertEqual(shared[c], Int8Quantization.parameters(min: -1, max: 1))
    }
}
