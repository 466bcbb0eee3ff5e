@testable import Export
import Embedding
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import XCTest

/// `facenet export --format onnx`, as the official ONNX Runtime (PyPI onnxruntime) runs it.
final class ONNXExportTests: XCTestCase {
    /// input [1, 2, 2, 1] -> CONV_2D 1x1 (weight 2, bias 0.5, fused RELU) -> MEAN over H, W -> L2_NORMALIZATION,
    /// translated and run on two inputs in one batch; the answer is worked out by hand.
    func testTinyGraphTranslatesAndRuns() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.runtimesPython), "run scripts/setup.sh first")
        var m = TFLiteModel(description: "tiny")
        let input = m.addTensor(TFLiteTensor(name: "input", shape: [1, 2, 2, 2]))
        // Filter OHWI [2, 1, 1, 2]: out0 = 2 x in0, out1 = in0 + in1; biases 0.5, -10.
        let w = m.addTensor(TFLiteTensor(name: "w", shape: [2, 1, 1, 2], buffer: m.addBuffer([Float(2), 0, 1, 1].withUnsafeBytes { Array($0) })))
        let b = m.addTensor(TFLiteTensor(name: "b", shape: [2], buffer: m.addBuffer([Float(0.5), -10].withUnsafeBytes { Array($0) })))
        let conv = m.addTensor(TFLiteTensor(name: "conv", shape: [1, 2, 2, 2]))
        let axes = m.addTensor(TFLiteTensor(name: "axes", shape: [2], type: .int32, buffer: m.addBuffer([Int32(1), 2].withUnsafeBytes { Array($0) })))
        let mean = m.addTensor(TFLiteTensor(name: "mean", shape: [1, 2]))
        let out = m.addTensor(TFLiteTensor(name: "embedding", shape: [1, 2]))
        m.operators = [
            TFLiteOperator(.conv2d, inputs: [input, w, b], outputs: [conv], options: .conv2d(padding: .same, strideW: 1, strideH: 1, activation: .relu)),
            TFLiteOperator(.mean, inputs: [conv, axes], outputs: [mean], options: .reducer(keepDims: false)),
            TFLiteOperator(.l2Normalization, inputs: [mean], outputs: [out], options: .l2Norm),
        ]
        m.inputs = [input]
        m.outputs = [out]
        let folder = try TemporaryFolder()
        let path = folder.file("tiny.onnx")
        try ONNXExport.modelProto(m, name: "tiny").serializedData().write(to: URL(fileURLWithPath: path))
        // NCHW inputs: face 1 channel 0 = [1, 2, 3, 4], channel 1 = [9, 9, 9, 9]; face 2 channel 0 all 10, channel 1 all 30.
        let inputs: [Float] = [1, 2, 3, 4, 9, 9, 9, 9, 10, 10, 10, 10, 30, 30, 30, 30]
        let (y, summary) = try ExportFaces.runONNX(model: path, inputs: inputs, batch: 2, folder: folder)
        XCTAssertEqual(summary["input_shape"] as? [AnyHashable], ["batch", 2, 2, 2] as [AnyHashable])
        // Face 1: out0 = relu(2x + 0.5), mean 5.5; out1 = relu(x0 + x1 - 10) = [0, 1, 2, 3], mean 1.5.
        // Face 2: out0 = 20.5; out1 = relu(10 + 30 - 10) = 30. Then each row is L2-normalised.
        let n1 = (5.5 * 5.5 + 1.5 * 1.5).squareRoot(), n2 = (20.5 * 20.5 + 30.0 * 30.0).squareRoot()
        let expected = [5.5 / n1, 1.5 / n1, 20.5 / n2, 30 / n2]
        XCTAssertEqual(y.count, 4)
        for (a, b) in zip(y, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-6) }
        XCTAssertEqual(ONNXTranslation.ohwiToOIHW([1, 2, 3, 4, 5, 6], [1, 1, 3, 2]), [1, 3, 5, 2, 4, 6])
    }

    func testPretrainedExportMatchesLibtorchInONNXRuntime() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.runtimesPython), "run scripts/setup.sh first")
        try Torch.configure()
        let folder = try TemporaryFolder()
        let network = try InceptionResNetV1.pretrained()
        let path = folder.file("facenet.onnx")
        let report = try ONNXExport.export(network, metadata: ["lfw_accuracy": 0.993], to: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: AtomicFile.temporaryPath(for: path)))
        print(String(format: "ONNX export: %.1f MB, %d nodes", Double(report.bytes) / 1e6, report.operators))

        let images = try LFWFaces.centreCropped(count: 200)
        let batch = try FaceBatch.tensor(images, description: network.description)
        let nchw = try batch.contiguous().floats()
        let ours = try Embedder(model: network).embed(batch).floats()
        let (theirs, summary) = try ExportFaces.runONNX(model: path, inputs: nchw, batch: 8, folder: folder)
        XCTAssertEqual(summary["input_name"] as? String, "input")
        XCTAssertEqual(summary["output_name"] as? String, "embedding")
        XCTAssertEqual(summary["input_shape"] as? [AnyHashable], ["batch", 3, 160, 160] as [AnyHashable])
        XCTAssertEqual(summary["ir_version"] as? Int, 8)
        XCTAssertEqual(summary["opset"] as? [Int], [17])
        let metadata = try XCTUnwrap(summary["metadata"] as? [String: String])
        XCTAssertEqual(metadata["embedding_size"], "128")
        XCTAssertEqual(metadata["preprocessing"], "prewhiten")
        XCTAssertEqual(metadata["precision"], "fp32")
        XCTAssertEqual(metadata["lfw_accuracy"], "0.993")
        let (cosines, worst) = ExportFaces.compare(ours, theirs, dimension: 128)
        print(String(format: "ONNX Runtime vs libtorch on %d faces (batches of 8): max abs difference %.3g, min cosine %.9f",
                     cosines.count, worst, cosines.min()!))
        XCTAssertLessThan(worst, 1e-4)
    }

    func testFloat16IsRefusedForONNX() {
        XCTAssertThrowsError(try Exporter.validate(format: "onnx", precision: "fp16")) {
            XCTAssertTrue("\($0)".contains("not implemented"), "\($0)")
        }
        XCTAssertNoThrow(try Exporter.validate(format: "onnx", precision: "fp32"))
    }
}
