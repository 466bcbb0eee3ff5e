@testable import Export
import Embedding
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import Vision
import XCTest

/// `facenet export --precision int8`: quantisation rules on hand-computed values, the calibration graph
/// against libtorch, and the full-integer model in LiteRT.
final class Int8ExportTests: XCTestCase {
    func testActivationParametersIncludeZero() {
        // [-1, 3]: scale 4/255, zero point round(-128 + 1 / (4/255)) = round(-64.25) = -64.
        let p = Int8Quantization.parameters(min: -1, max: 3)
        XCTAssertEqual(p.scale, 4.0 / 255, accuracy: 1e-9)
        XCTAssertEqual(p.zeroPoint, -64)
        // [0.5, 2] after RELU is widened to [0, 2]: zero point -128.
        let r = Int8Quantization.parameters(min: 0.5, max: 2)
        XCTAssertEqual(r.scale, 2.0 / 255, accuracy: 1e-9)
        XCTAssertEqual(r.zeroPoint, -128)
    }

    func testPerChannelWeightsAndBiasScales() {
        let (q, scales) = Int8Quantization.perChannel([0.5, -1.27, 2.54, 0.01], channels: 2)
        XCTAssertEqual(scales[0], 0.01, accuracy: 1e-7)  // max |w| 1.27 / 127
        XCTAssertEqual(scales[1], 0.02, accuracy: 1e-7)  // 2.54 / 127
        // 0.01 / 0.02 = 0.5 rounds half away from zero, as TFLite's std::round does.
        XCTAssertEqual(q, [50, -127, 127, 1])
        let (b, bScales) = Int8Quantization.biases([1.0, -0.5], inputScale: 0.1, weightScales: [0.01, 0.02])
        XCTAssertEqual(bScales[0], 0.001, accuracy: 1e-9)
        XCTAssertEqual(bScales[1], 0.002, accuracy: 1e-9)
        XCTAssertEqual(b, [1000, -250])
    }

    func testCalibrationFolderErrors() throws {
        let folder = try TemporaryFolder()
        XCTAssertThrowsError(try CalibrationFaces(folder: folder.file("missing"), count: 10)) {
            XCTAssertTrue("\($0)".contains("does not exist"), "\($0)")
        }
        let empty = folder.file("empty")
        try FileManager.default.createDirectory(atPath: empty + "/person", withIntermediateDirectories: true)
        XCTAssertThrowsError(try CalibrationFaces(folder: empty, count: 10)) {
            XCTAssertTrue("\($0)".contains("holds no images"), "\($0)")
        }
    }

    /// Through the command line: a bad calibration folder, an unknown precision or an unreadable evaluation
    /// summary stops the export before the model is loaded, and nothing appears in the output folder (neither
    /// OUT nor the child's `OUT.tmp-<pid>`, whose pid the test cannot know, so the folder is listed).
    func testCommandLineRefusesBadChoicesWithoutWritingAnything() throws {
        let binary = Reference.repositoryRoot + "/.build/debug/facenet"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let outFolder = folder.file("out")
        try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
        let out = outFolder + "/model.tflite"
        let empty = folder.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let aFile = folder.file("faces.txt")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: aFile))
        let cases: [([String], String)] = [
            (["--precision", "int8", "--calibration", folder.file("missing")], "calibration folder"),
            (["--precision", "int8", "--calibration", empty], "holds no images"),
            (["--precision", "int8", "--calibration", aFile], "--calibration folder \(aFile) is a file, not a folder"),
            (["--precision", "int8", "--calibration", outFolder], "lies inside the --calibration folder \(outFolder)"),
            (["--precision", "fp64"], "unknown precision 'fp64'"),
            (["--evaluation", folder.file("none.json")], "--evaluation \(folder.file("none.json")) does not exist"),
            (["--evaluation", empty], "--evaluation \(empty) is a folder, not a file"),
        ]
        for (arguments, message) in cases {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["export"] + arguments + ["-o", out]
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertNotEqual(process.terminationStatus, 0, "\(arguments)")
            XCTAssertTrue(text.contains(message), "\(arguments): \(text)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outFolder), [], "\(arguments)")
        }
    }

    /// The float interpreter that calibrates runs the lowered graph to the libtorch model's embeddings.
    func testFloatInterpreterEqualsLibtorch() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try Torch.configure()
        let network = try InceptionResNetV1.pretrained()
        let faces = try LFWFaces.centreCropped(count: 16)
        let batch = try FaceBatch.tensor(faces, description: network.description)
        let ours = try Embedder(model: network).embed(batch).floats()
        let lowered = try FaceNetLowering.lower(network)
        var interpreter = try FloatGraphInterpreter(lowered)
        let theirs = try withNoGrad { try interpreter.run(batch.contiguous()).floats() }
        let (_, worst) = ExportFaces.compare(ours, theirs, dimension: 128)
        XCTAssertLessThan(worst, 1e-4)
        XCTAssertEqual(interpreter.ranges.count, lowered.operators.count + 1, "a range for the input and every operator's output")
    }

    func testPretrainedInt8ExportAgreesWithLibtorchInLiteRT() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.runtimesPython), "run scripts/setup.sh first")
        try Torch.configure()
        let folder = try TemporaryFolder()
        // Calibration on 200 other people (identities 200..399) than the 200 test faces.
        let calibration = folder.file("calibration")
        for (i, face) in try LFWFaces.centreCropped(count: 200, skip: 200).enumerated() {
            try FileManager.default.createDirectory(atPath: "\(calibration)/p\(i)", withIntermediateDirectories: true)
            try face.writePNG(to: "\(calibration)/p\(i)/face.png")
        }
        let network = try InceptionResNetV1.pretrained()
        let path = folder.file("facenet_int8.tflite")
        let start = Date()
        let model = try Exporter.tfliteModel(
            network, precision: .int8, calibration: try CalibrationFaces(folder: calibration, count: 200))
        let bytes = TFLiteWriter.serialize(model)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        print(String(format: "int8 export: %d bytes (%.1f MB), %d operators in %.1f s", bytes.count,
                     Double(bytes.count) / 1e6, model.operators.count, Date().timeIntervalSince(start)))
        XCTAssertLessThan(bytes.count, 25_000_000)
        try checkInt8Structure(model)

        let images = try LFWFaces.centreCropped(count: 200)
        let batch = try FaceBatch.tensor(images, description: network.description)
        let nhwc = try batch.permuted([0, 2, 3, 1]).contiguous().floats()
        let ours = try Embedder(model: network).embed(batch).floats()
        let (theirs, summary) = try ExportFaces.runLiteRT(model: path, inputs: nhwc, folder: folder)
        XCTAssertEqual(summary["input_dtype"] as? String, "float32")
        let (cosines, _) = ExportFaces.compare(ours, theirs, dimension: 128)
        let mean = cosines.reduce(0, +) / Double(cosines.count)
        print(String(format: "LiteRT int8 vs libtorch fp32 on %d faces: mean cosine %.5f, min %.5f", cosines.count, mean, cosines.min()!))
        XCTAssertGreaterThanOrEqual(mean, 0.98)
        XCTAssertGreaterThanOrEqual(cosines.min()!, 0.95)
    }

    /// What the spec and LiteRT's kernels require of the int8 graph, checked tensor by tensor.
    func checkInt8Structure(_ m: TFLiteModel) throws {
        func q(_ i: Int) throws -> TFLiteQuantization { try XCTUnwrap(m.tensors[i].quantization, m.tensors[i].name) }
        XCTAssertEqual(m.tensors[m.inputs[0]].type, .float32)
        XCTAssertEqual(m.tensors[m.outputs[0]].type, .float32)
        XCTAssertEqual(m.signatureKey, "serving_default")
        XCTAssertEqual(m.signatureInputs.map(\.0), ["input"])
        XCTAssertEqual(m.signatureOutputs.map(\.0), ["embedding"])
        XCTAssertEqual(m.operators.first?.opcode, .quantize)
        XCTAssertEqual(m.operators.last?.opcode, .dequantize)
        let expectedVersion: [TFLiteBuiltinOperator: Int32] = [
            .conv2d: 3, .fullyConnected: 4, .add: 2, .concatenation: 2, .maxPool2d: 2, .mean: 2,
            .l2Normalization: 2, .dequantize: 2, .quantize: 1,
        ]
        var requantised = 0
        for op in m.operators {
            XCTAssertEqual(op.version, expectedVersion[op.opcode], "\(op.opcode)")
            switch op.opcode {
            case .conv2d, .fullyConnected:
                let (x, w, b, y) = (op.inputs[0], op.inputs[1], op.inputs[2], op.outputs[0])
                XCTAssertEqual([m.tensors[x].type, m.tensors[w].type, m.tensors[b].type, m.tensors[y].type], [.int8, .int8, .int32, .int8])
                let (wq, bq) = (try q(w), try q(b))
                XCTAssertEqual(wq.scale.count, op.opcode == .conv2d ? m.tensors[w].shape[0] : 1, m.tensors[w].name)
                XCTAssertEqual(wq.quantizedDimension, 0)
                XCTAssertTrue(wq.zeroPoint.allSatisfy { $0 == 0 } && bq.zeroPoint.allSatisfy { $0 == 0 })
                let inScale = try q(x).scale[0]
                for (c, s) in bq.scale.enumerated() {
                    XCTAssertEqual(s, inScale * wq.scale[wq.scale.count == 1 ? 0 : c], accuracy: s * 1e-6, m.tensors[b].name)
                }
                let values = m.buffers[m.tensors[w].buffer].map { Int8(bitPattern: $0) }
                XCTAssertTrue(values.allSatisfy { $0 >= -127 }, "symmetric weights stay in [-127, 127]")
            case .concatenation, .maxPool2d:
                for x in op.inputs { XCTAssertEqual(try q(x), try q(op.outputs[0]), m.tensors[op.outputs[0]].name) }
            case .l2Normalization:
                XCTAssertEqual(try q(op.outputs[0]), TFLiteQuantization(scale: [1.0 / 128], zeroPoint: [0]))
            case .quantize where m.tensors[op.inputs[0]].type == .int8:
                requantised += 1
            default: break
            }
        }
        // Only the two max-pool branches of Mixed_6a and Mixed_7a need requantising; every convolution branch
        // writes at its concatenation's parameters directly.
        XCTAssertEqual(requantised, 2)
    }
}
