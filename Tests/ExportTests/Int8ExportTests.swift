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

    /// Through the command line: a bad calibration folder stops the export before the model is loaded, and no
    /// output (or temporary) file appears.
    func testCommandLineRefusesBadCalibrationWithoutWritingAnything() throws {
        let binary = Reference.repositoryRoot + "/.build/debug/facenet"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let out = folder.file("model.tflite")
        for calibration in [folder.file("missing"), folder.path] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["export", "--precision", "int8", "--calibration", calibration, "-o", out]
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertNotEqual(process.terminationStatus, 0)
            XCTAssertTrue(text.contains("calibration folder"), text)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
            XCTAssertFalse(FileManager.default.fileExists(atPath: AtomicFile.temporaryPath(for: out)))
        }
    }

    /// The float interpreter that calibrates runs the lowered graph to the libtorch model's embeddings.
    func testFloatInterpreterEqualsLibtorch() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try Torch.configure()
        let network = try InceptionResNetV1.pretrained()
        let faces = try ExportFaces.lfw(count: 16)
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
        for (i, face) in try ExportFaces.lfw(count: 200, skip: 200).enumerated() {
            try FileManager.default.createDirectory(atPath: "\(calibration)/p\(i)", withIntermediateDirectories: true)
            try face.writePNG(to: "\(calibration)/p\(i)/face.png")
        }
        let network = try InceptionResNetV1.pretrained()
        let path = folder.file("facenet_int8.tflite")
        let report = try Exporter.exportTFLite(
            network, precision: .int8, calibration: try CalibrationFaces(folder: calibration, count: 200), to: path)
        print(String(format: "int8 export: %.1f MB, %d operators in %.1f s", Double(report.bytes) / 1e6, report.operators, report.seconds))
        XCTAssertLessThan(report.bytes, 25_000_000)

        let images = try ExportFaces.lfw(count: 200)
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
}
