import Embedding
import Foundation
import HDF5
import Models
import Support
import TestSupport
import TorchBridge
import Vision
import XCTest

/// MobileFaceNet computes what an independent PyTorch module written from the paper's table 1
/// (Tests/python/mobilefacenet_reference.py) computes with the same weights.
final class MobileFaceNetReferenceTests: XCTestCase {
    /// Every BatchNorm's gamma and beta and every PReLU slope set to random values away from their initial ones
    /// (gamma 1, beta 0, slope 0.25 would let a misplaced or missing BatchNorm or PReLU go unnoticed), then the
    /// running statistics from training-mode passes over `batch` (momentum 0.1: 30 passes take them 96% of the
    /// way from mean 0, variance 1 to the faces' own), so that the network's activations stay face-dependent.
    static func randomiseNormalisation(_ model: MobileFaceNet, batch: Tensor) throws {
        var state: [String: Tensor] = [:]
        for (name, t) in model.stateDict {
            if name.hasSuffix("bn.bias") {
                state[name] = try Tensor.randn(t.shape) * 0.2
            } else if name.hasSuffix("bn.weight") {
                state[name] = try Tensor.rand(t.shape) + 0.5
            } else if name.hasSuffix("prelu.weight") {
                state[name] = try Tensor.rand(t.shape) * 0.5
            } else {
                state[name] = t
            }
        }
        try model.loadStateDict(state)
        model.train()
        try withNoGrad { for _ in 0..<30 { _ = try model(batch) } }
        model.eval()
    }

    func testEmbeddingsEqualTheTableOneReferenceOnTheSameWeights() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.referencePython), "run scripts/setup.sh first")
        try Torch.configure()
        try Torch.manualSeed(16)
        let model = try MobileFaceNet()

        // 16 LFW faces: the first photo of the first 16 people, the middle 160x160 resized to 112.
        let faces = try LFWFaces.centreCropped(count: 16)
        let batch = try FaceBatch.tensor(faces, description: model.description).contiguous()
        try Self.randomiseNormalisation(model, batch: batch)
        let variances = try model.conv_4.model[2].conv_dw.bn.runningVar.floats()
        XCTAssertGreaterThan(variances.map { abs($0 - 1) }.max()!, 0.1, "running statistics moved away from 1")
        let ours = try withNoGrad { try model(batch).floats() }

        let folder = try TemporaryFolder()
        let statePath = folder.file("state.h5")
        let file = try HDF5File(creating: statePath)
        for (name, tensor) in model.stateDict {
            _ = try file.createDataset(name, values: try tensor.contiguous().floats(), shape: tensor.shape)
        }
        try file.close()
        let inputPath = folder.file("input.f32")
        let outputPath = folder.file("output.f32")
        try batch.floats().withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inputPath)) }
        let output = try Reference.run(
            script: "mobilefacenet_reference.py", arguments: [statePath, inputPath, "\(faces.count)", outputPath])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let theirs = try Data(contentsOf: URL(fileURLWithPath: outputPath)).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }

        XCTAssertEqual(summary["tensors_loaded"] as? Int, model.stateDict.count)
        XCTAssertEqual(summary["state_dict_tensors"] as? Int, model.stateDict.count)
        XCTAssertEqual(summary["parameters"] as? Int, model.parameterCount)
        XCTAssertEqual(theirs.count, ours.count)
        let worst = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
        print(String(format: "MobileFaceNet vs the table-1 PyTorch reference on %d faces: max abs difference %.3g; "
                     + "%d parameters (the paper: 0.99M)", faces.count, worst, model.parameterCount))
        XCTAssertLessThan(worst, 1e-4)
        // The embeddings differ from face to face (a network that collapsed would agree trivially).
        XCTAssertGreaterThan(zip(ours.prefix(128), ours.dropFirst(128).prefix(128)).map { abs($0 - $1) }.max()!, 1e-2)
    }

    /// An input that does not give the GDConv its 7x7 grid is refused with the reason.
    func testAnInputWithoutASevenBySevenGridIsRefused() throws {
        var description = ModelDescription.mobileFaceNet128
        description.inputSize = 160
        XCTAssertThrowsError(try MobileFaceNet(description)) { error in
            XCTAssertEqual(
                "\(error)",
                "MobileFaceNet needs an input of 97 to 112 px (its 7x7 global depthwise convolution needs a 7x7 grid, "
                    + "ceil(image_size / 16) = 7), got 160")
        }
        description.inputSize = 100
        let model = try MobileFaceNet(description)
        model.eval()
        let y = try withNoGrad { try model(try Tensor.randn([2, 3, 100, 100])) }
        XCTAssertEqual(y.shape, [2, 128])
    }

    /// Depthwise convolutions have one filter per channel, and gradients reach every parameter (PReLU slopes and
    /// depthwise filters included).
    func testDepthwiseShapesAndGradients() throws {
        try Torch.manualSeed(3)
        let model = try MobileFaceNet()
        XCTAssertEqual(model.conv2_dw.conv.weight.shape, [64, 1, 3, 3])
        XCTAssertEqual(model.conv_3.model[0].conv_dw.conv.weight.shape, [128, 1, 3, 3])
        XCTAssertEqual(model.conv_6_dw.conv.weight.shape, [512, 1, 7, 7])
        XCTAssertNil(model.conv_6_dw.prelu)
        XCTAssertFalse(model.conv_23.residual)
        XCTAssertTrue(model.conv_4.model.allSatisfy(\.residual))
        let y = try model(try Tensor.randn([4, 3, 112, 112]))
        try (y * (try Tensor.randn([4, 128]))).sum().backward()
        for (name, p) in model.namedParameters {
            let g = try XCTUnwrap(try p.grad(), name)
            XCTAssertGreaterThan(try g.abs().sum().item(), 0, name)
        }
    }
}
