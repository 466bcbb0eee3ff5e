import Embedding
import Export
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import Vision
import XCTest

/// Inception-ResNet-v2 goes through the same exporter as Inception-ResNet-v1: TFLite fp32 / fp16 / int8 and ONNX,
/// each run in its runtime on LFW faces against libtorch: 64 in CI (a 220 MB network in three runtimes takes
/// minutes), `IRV2_EXPORT_FACES=200` for the numbers in docs/results.md.
final class InceptionResNetV2ExportTests: XCTestCase {
    /// No pretrained weights exist: random ones, with every BatchNorm's running statistics set from one
    /// training-mode pass over real faces (momentum 1), so activations have the ranges a trained network's
    /// have and int8 calibration means something.
    static func network(statisticsFrom faces: [Image]) throws -> InceptionResNetV2 {
        var description = Backbone.inceptionResNetV2.reference
        description.dropout = 0
        let model = try InceptionResNetV2(description)
        let batchNorms = model.namedModules.compactMap { $0.1 as? BatchNorm2d }
        for bn in batchNorms { bn.momentum = 1 }
        model.train()
        _ = try withNoGrad { try model(try FaceBatch.tensor(faces, description: description).contiguous()) }
        for bn in batchNorms { bn.momentum = 0.1 }
        model.eval()
        return model
    }

    func testEveryFormatAgreesWithLibtorch() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.runtimesPython), "run scripts/setup.sh first")
        try Torch.configure()
        let folder = try TemporaryFolder()
        let others = try LFWFaces.centreCropped(count: 200, skip: 200)
        let network = try Self.network(statisticsFrom: Array(others.prefix(64)))
        let calibration = folder.file("calibration")
        for (i, face) in others.enumerated() {
            try FileManager.default.createDirectory(atPath: "\(calibration)/p\(i)", withIntermediateDirectories: true)
            try face.writePNG(to: "\(calibration)/p\(i)/face.png")
        }
        let count = Int(ProcessInfo.processInfo.environment["IRV2_EXPORT_FACES"] ?? "") ?? 64
        let images = try LFWFaces.centreCropped(count: count)
        let batch = try FaceBatch.tensor(images, description: network.description)
        let ours = try Embedder(model: network).embed(batch).floats()
        let nhwc = try batch.permuted([0, 2, 3, 1]).contiguous().floats()

        var sizes: [String] = []
        for precision in [ExportPrecision.fp32, .fp16, .int8] {
            let path = folder.file("irv2_\(precision.rawValue).tflite")
            let report = try Exporter.exportTFLite(
                network, precision: precision,
                calibration: precision == .int8 ? try CalibrationFaces(folder: calibration, count: 200) : nil, to: path)
            sizes.append(String(format: "%@ %.1f MB", precision.rawValue, Double(report.bytes) / 1e6))
            let (theirs, _) = try ExportFaces.runLiteRT(model: path, inputs: nhwc, folder: folder)
            let (cosines, worst) = ExportFaces.compare(ours, theirs, dimension: 128)
            let mean = cosines.reduce(0, +) / Double(cosines.count)
            print(String(format: "Inception-ResNet-v2 LiteRT %@ vs libtorch on %d faces: max abs %.3g, mean cosine %.6f, min %.6f",
                         precision.rawValue, cosines.count, worst, mean, cosines.min()!))
            switch precision {
            case .fp32: XCTAssertLessThan(worst, 1e-4)
            case .fp16: XCTAssertGreaterThanOrEqual(mean, 0.9999)
            // The 0.98 is for trained weights; random ones (BatchNorm statistics from faces) gave a mean
            // cosine of 0.921 on 200 faces (docs/results.md): this bound catches a broken graph, not the goal.
            case .int8: XCTAssertGreaterThanOrEqual(mean, 0.90)
            }
        }
        let onnx = folder.file("irv2.onnx")
        let report = try ONNXExport.export(network, to: onnx)
        sizes.append(String(format: "onnx %.1f MB", Double(report.bytes) / 1e6))
        let (theirs, _) = try ExportFaces.runONNX(model: onnx, inputs: try batch.contiguous().floats(), batch: 8, folder: folder)
        let (cosines, worst) = ExportFaces.compare(ours, theirs, dimension: 128)
        print(String(format: "Inception-ResNet-v2 ONNX Runtime vs libtorch on %d faces: max abs %.3g", cosines.count, worst))
        XCTAssertLessThan(worst, 1e-4)
        print("Inception-ResNet-v2 file sizes: " + sizes.joined(separator: ", "))
    }
}
