@testable import Export
import Embedding
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import XCTest

/// `facenet export --precision fp16`: float16 weight buffers with DEQUANTIZE, checked on hand values and in LiteRT.
final class Float16ExportTests: XCTestCase {
    func halves(_ values: [Float]) -> [UInt16] {
        let bytes = Float16Weights.halfBytes(values.withUnsafeBytes { Array($0) })
        return stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }

    /// IEEE 754 binary16 bit patterns worked out by hand (sign | 5-bit exponent, bias 15 | 10-bit fraction).
    func testFloat16BitPatterns() {
        let one = Float(1), ulp = Float(1) / 1024  // 2^-10: float16's step just above 1
        XCTAssertEqual(
            halves([1, -2, 0.5, 65504, 1e5, -1e5, 0, 0x1p-24, one + ulp / 2, one + 3 * ulp / 2, 0.1]),
            [
                0x3C00,  // 1: exponent 15
                0xC000,  // -2: sign, exponent 16
                0x3800,  // 0.5: exponent 14
                0x7BFF,  // the largest finite float16
                0x7BFF,  // beyond it: clamped to 65504 as the converter does, not infinity (0x7C00)
                0xFBFF,  // and -65504 below
                0x0000,
                0x0001,  // 2^-24: the smallest subnormal
                0x3C00,  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1)
                0x3C02,  // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9: ties to even
                0x2E66,  // 0.1 -> 0.0999755859375 (fraction 0x266 = 614: (1 + 614/1024) / 16)
            ])
    }

    /// float32 -> float16 bytes -> float32 by hand: exactly representable values come back unchanged, others
    /// come back as the nearest float16 (decoded here from sign, exponent and fraction, not with Float16).
    func testFloat16RoundTrip() {
        func decode(_ h: UInt16) -> Double {
            let sign: Double = h & 0x8000 != 0 ? -1 : 1
            let exponent = Int((h >> 10) & 0x1F), fraction = Double(h & 0x3FF)
            if exponent == 0 { return sign * fraction * 0x1p-24 }  // subnormal: fraction x 2^-14 / 2^10
            return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
        let values: [Float] = [0.25, -3.5, 1000, 0x1p-14, 0x1p-20, 0.1, -0.3, 1.0009765625, 1.00048828125, 70000]
        let expected: [Double] = [
            0.25, -3.5, 1000, 0x1p-14, 0x1p-20,  // exact (normal, smallest normal, subnormal)
            0.0999755859375,  // 0.1
            -0.300048828125,  // -0.3 = -1.2 x 2^-2: fraction 0.2 x 1024 = 204.8 -> 205: -(1 + 205/1024) / 4
            1.0009765625,  // 1 + 2^-10: exact
            1.0,  // 1 + 2^-11: halfway, ties to even
            65504,  // clamped
        ]
        XCTAssertEqual(halves(values).map(decode), expected)
        // Every normal-range value comes back within half a float16 step (relative 2^-11).
        let weights: [Float] = (0..<1000).map { i in Float(sin(Double(i) * 0.7)) * Float(pow(10, Double(i % 7) - 4)) }
        for (w, h) in zip(weights, halves(weights)) where abs(w) >= 0x1p-14 {
            XCTAssertLessThanOrEqual(abs(decode(h) - Double(w)), abs(Double(w)) * 0x1p-11, "\(w)")
        }
    }

    /// The transform on a hand-built CONV_2D model: float16 constants, DEQUANTIZE ops first, float32 readers unchanged.
    func testConvertReplacesConstantsWithDequantizedHalves() {
        var m = TFLiteModel(description: "conv")
        let input = m.addTensor(TFLiteTensor(name: "input", shape: [1, 2, 2, 1]))
        let w = m.addTensor(TFLiteTensor(name: "w", shape: [1, 1, 1, 1], buffer: m.addBuffer([Float(2)].withUnsafeBytes { Array($0) })))
        let b = m.addTensor(TFLiteTensor(name: "b", shape: [1], buffer: m.addBuffer([Float(0.5)].withUnsafeBytes { Array($0) })))
        let out = m.addTensor(TFLiteTensor(name: "out", shape: [1, 2, 2, 1]))
        m.operators = [
            TFLiteOperator(.conv2d, inputs: [input, w, b], outputs: [out],
                           options: .conv2d(padding: .valid, strideW: 1, strideH: 1, activation: .none))
        ]
        let h = Float16Weights.convert(m)
        XCTAssertEqual(h.operators.map(\.opcode), [.dequantize, .dequantize, .conv2d])
        XCTAssertEqual(h.operators[0].version, 3)
        XCTAssertEqual(h.operators[2].inputs, [input, w, b], "the convolution still reads the float32 tensors")
        XCTAssertEqual(h.tensors[w].buffer, 0, "now an activation")
        XCTAssertEqual(h.operators[0].outputs, [w])
        let source = h.tensors[h.operators[0].inputs[0]]
        XCTAssertEqual(source.type, .float16)
        XCTAssertEqual(source.name, "w/float16")
        XCTAssertEqual(h.buffers[source.buffer], [0x00, 0x40], "2.0 = 0x4000, little-endian")
        XCTAssertEqual(h.buffers.count, 3, "the float32 buffers are gone")
    }

    func testPretrainedFloat16ExportAgreesWithLibtorchInLiteRT() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.runtimesPython), "run scripts/setup.sh first")
        try Torch.configure()
        let folder = try TemporaryFolder()
        let network = try InceptionResNetV1.pretrained()
        let path = folder.file("facenet_fp16.tflite")
        let report = try Exporter.exportTFLite(network, precision: .fp16, to: path)
        print(String(format: "fp16 export: %.1f MB, %d operators", Double(report.bytes) / 1e6, report.operators))
        XCTAssertLessThan(report.bytes, 47_000_000)
        XCTAssertGreaterThan(report.bytes, 45_000_000)

        let images = try LFWFaces.centreCropped(count: 200)
        let batch = try FaceBatch.tensor(images, description: network.description)
        let nhwc = try batch.permuted([0, 2, 3, 1]).contiguous().floats()
        let ours = try Embedder(model: network).embed(batch).floats()
        let (theirs, summary) = try ExportFaces.runLiteRT(model: path, inputs: nhwc, folder: folder)
        XCTAssertEqual(summary["count"] as? Int, 200)
        let (cosines, worst) = ExportFaces.compare(ours, theirs, dimension: 128)
        let mean = cosines.reduce(0, +) / Double(cosines.count)
        print(String(format: "LiteRT fp16 vs libtorch fp32 on %d faces: mean cosine %.7f, min %.7f, max abs difference %.2g",
                     cosines.count, mean, cosines.min()!, worst))
        XCTAssertGreaterThanOrEqual(mean, 0.9999)
    }
}
