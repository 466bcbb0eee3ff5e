import Embedding
import Export
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import Vision
import XCTest

/// The exported .tflite files as LiteRT (PyPI ai-edge-litert) reads and runs them.
final class TFLiteExportTests: XCTestCase {
    var runtimesPython: String { FacenetHome.runtimesPython }

    /// Runs `model` on the inputs back to back in `inputs` with Tests/python/litert_embed.py.
    func runLiteRT(model: String, inputs: [Float], folder: TemporaryFolder) throws -> (outputs: [Float], summary: [String: Any]) {
        let inPath = folder.file("inputs.f32")
        let outPath = folder.file("outputs.f32")
        try inputs.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inPath)) }
        let output = try Reference.run(
            python: runtimesPython, script: "litert_embed.py", arguments: [model, inPath, outPath, "--threads", "2"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let data = try Data(contentsOf: URL(fileURLWithPath: outPath))
        let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        return (floats, summary)
    }

    /// input [1, 4] -> ADD(constant, fused RELU) -> L2_NORMALIZATION, written by the schema layer directly.
    static func tinyModel() -> TFLiteModel {
        var m = TFLiteModel(description: "tiny")
        let input = m.addTensor(TFLiteTensor(name: "input", shape: [1, 4]))
        let constantBuffer = m.addBuffer([Float](repeating: 0.5, count: 4).withUnsafeBytes { Array($0) })
        let constant = m.addTensor(TFLiteTensor(name: "half", shape: [1, 4], buffer: constantBuffer))
        let sum = m.addTensor(TFLiteTensor(name: "sum", shape: [1, 4]))
        let out = m.addTensor(TFLiteTensor(name: "out", shape: [1, 4]))
        m.operators = [
            TFLiteOperator(.add, inputs: [input, constant], outputs: [sum], options: .add(activation: .relu)),
            TFLiteOperator(.l2Normalization, inputs: [sum], outputs: [out], options: .l2Norm),
        ]
        m.inputs = [input]
        m.outputs = [out]
        m.signatureInputs = [("x", input)]
        m.signatureOutputs = [("y", out)]
        return m
    }

    func testTinyModelRunsInLiteRT() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: runtimesPython), "run scripts/setup.sh first")
        let folder = try TemporaryFolder()
        let path = folder.file("tiny.tflite")
        try Data(TFLiteWriter.serialize(Self.tinyModel())).write(to: URL(fileURLWithPath: path))
        let (y, summary) = try runLiteRT(model: path, inputs: [-1, 2, 3, -4, 1, 1, 1, 1], folder: folder)
        XCTAssertEqual(summary["input_name"] as? String, "x")
        XCTAssertEqual(summary["output_name"] as? String, "y")
        let n1 = (2.5 * 2.5 + 3.5 * 3.5).squareRoot()
        let expected: [Double] = [0, 2.5 / n1, 3.5 / n1, 0, 0.5, 0.5, 0.5, 0.5]
        XCTAssertEqual(y.count, 8)
        for (a, b) in zip(y, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-6) }
    }

    /// What LiteRT 2.3.0 requires of the file, checked on the bytes.
    func testFileCarriesWhatTheRuntimeRequires() throws {
        let bytes = TFLiteWriter.serialize(Self.tinyModel())
        let r = FlatBufferReader(bytes)
        XCTAssertEqual(r.fileIdentifier, "TFL3")
        let model = r.root
        XCTAssertTrue(model.has(0), "Model.version written explicitly")
        XCTAssertEqual(model.u32(0), 3)
        let buffers = try XCTUnwrap(model.vector(4)).tables()
        XCTAssertNil(buffers[0].vector(0), "buffer 0 is empty")
        let data = try XCTUnwrap(buffers[1].vector(0))
        XCTAssertEqual(data.start % 16, 0)
        XCTAssertEqual(data.count, 16)
        let codes = try XCTUnwrap(model.vector(1)).tables()
        XCTAssertEqual(codes.map { $0.i8(0) }, [0, 11])
        XCTAssertTrue(codes[0].has(0) && codes[0].has(3), "both builtin code fields written")
        XCTAssertEqual(codes.map { $0.i32(3) }, [0, 11])
        let signature = try XCTUnwrap(model.vector(7)).table(0)
        XCTAssertEqual(signature.string(2), "serving_default")
    }

    func testUnknownPrecisionAndFormatFailBeforeAnythingIsWritten() {
        XCTAssertThrowsError(try Exporter.validate(format: "tflite", precision: "fp64")) { error in
            XCTAssertTrue("\(error)".contains("unknown precision 'fp64'"), "\(error)")
        }
        XCTAssertThrowsError(try Exporter.validate(format: "coreml", precision: "fp32")) { error in
            XCTAssertTrue("\(error)".contains("unknown export format 'coreml'"), "\(error)")
        }
        XCTAssertThrowsError(try Exporter.validate(format: "onnx", precision: "int8")) { error in
            XCTAssertTrue("\(error)".contains("not implemented yet"), "\(error)")
        }
        XCTAssertNoThrow(try Exporter.validate(format: "TFLite", precision: "fp32"))
    }

    func testPretrainedExportMatchesLibtorchInLiteRT() throws {
        let weights = FacenetHome.pretrainedFaceNet
        try XCTSkipUnless(FileManager.default.fileExists(atPath: weights), "run scripts/setup.sh first")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: runtimesPython), "run scripts/setup.sh first")
        try Torch.configure()
        let folder = try TemporaryFolder()
        let network = try InceptionResNetV1.pretrained()
        let path = folder.file("facenet.tflite")
        let report = try Exporter.exportTFLite(network, to: path)
        XCTAssertEqual(report.bytes, try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertFalse(FileManager.default.fileExists(atPath: AtomicFile.temporaryPath(for: path)))
        print("exported \(report.bytes) bytes, \(report.operators) operators, \(report.tensors) tensors in "
            + String(format: "%.1f s", report.seconds))

        // The same preprocessed inputs for both runtimes: [B, 3, S, S] -> NHWC floats.
        let images = try LFWFaces.centreCropped(count: 200)
        XCTAssertEqual(images.count, 200)
        let batch = try FaceBatch.tensor(images, description: network.description)
        let nhwc = try batch.permuted([0, 2, 3, 1]).contiguous().floats()
        let embedder = try Embedder(model: network)
        let ours = try embedder.embed(batch).floats()

        let (theirs, summary) = try runLiteRT(model: path, inputs: nhwc, folder: folder)
        XCTAssertEqual(summary["input_name"] as? String, "input")
        XCTAssertEqual(summary["output_name"] as? String, "embedding")
        XCTAssertEqual(summary["input_shape"] as? [Int], [1, 160, 160, 3])
        XCTAssertEqual(summary["output_shape"] as? [Int], [1, 128])
        XCTAssertEqual(theirs.count, ours.count)
        var worst = 0.0
        var worstCosine = 1.0
        for i in 0..<images.count {
            let a = ours[(i * 128)..<((i + 1) * 128)]
            let b = theirs[(i * 128)..<((i + 1) * 128)]
            var dot = 0.0
            for (x, y) in zip(a, b) {
                worst = max(worst, abs(Double(x) - Double(y)))
                dot += Double(x) * Double(y)
            }
            worstCosine = min(worstCosine, dot)
        }
        print(String(format: "LiteRT vs libtorch on %d faces: max abs difference %.3g, min cosine %.9f",
                     images.count, worst, worstCosine))
        XCTAssertLessThan(worst, 1e-4, "max abs difference LiteRT vs libtorch")

        // Names and structure of the written graph.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let model = FlatBufferReader(bytes).root
        XCTAssertEqual(model.u32(0), 3)
        let subgraph = try XCTUnwrap(model.vector(2)).table(0)
        let names = Set(try XCTUnwrap(subgraph.vector(0)).tables().compactMap { $0.string(3) })
        for name in ["input", "Conv2d_1a_3x3", "Conv2d_1a_3x3/weights", "Block35_1", "Block35_5_Conv2d_1x1",
                     "Mixed_6a", "Block17_10", "Mixed_7a", "Block8_6", "AvgPool", "Bottleneck", "embedding"] {
            XCTAssertTrue(names.contains(name), "tensor \(name)")
        }
        let buffers = try XCTUnwrap(model.vector(4)).tables()
        for buffer in buffers { if let data = buffer.vector(0) { XCTAssertEqual(data.start % 16, 0) } }
    }
}
