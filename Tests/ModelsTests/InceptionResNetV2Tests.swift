import Embedding
import Foundation
import HDF5
import Models
import Support
import TestSupport
import TorchBridge
import Vision
import XCTest

/// Inception-ResNet-v2 computes what timm's `inception_resnet_v2` computes with the same random weights.
final class InceptionResNetV2Tests: XCTestCase {
    /// timm 0.9.16's `inception_resnet_v2(num_classes=0)`: every parameter up to the pool, BatchNorm gammas included.
    static let timmParameters = 54_306_464

    func testPooledFeaturesEqualTimmOnTheSameRandomWeights() throws {
        try Torch.configure()
        let folder = try TemporaryFolder()
        let model = try InceptionResNetV2()
        model.eval()
        // Non-trivial BatchNorm statistics and offsets, so a BatchNorm read the wrong way changes the output.
        for (_, module) in model.namedModules {
            guard let bn = module as? BatchNorm2d else { continue }
            let c = bn.runningMean.count
            try bn.runningMean.copyFrom(try Tensor.randn([c]) * 0.1)
            try bn.runningVar.copyFrom(try Tensor.rand([c]) + 0.5)
            try bn.bias.copyFrom(try Tensor.randn([c]) * 0.1)
        }
        let weights = folder.file("weights.h5")
        let file = try HDF5File(creating: weights)
        for (name, tensor) in model.stateDict {
            _ = try file.createDataset(name, values: try tensor.contiguous().floats(), shape: tensor.shape)
        }
        try file.close()

        let faces = try PretrainedEquivalenceTests.makeFaces(in: folder).prefix(6).map { try Image.load(path: $0) }
        let input = try FaceBatch.tensor(faces, description: model.description).contiguous()
        let inputPath = folder.file("input.f32")
        try Data(try input.floats().withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: inputPath))
        let ours = try withNoGrad { try F.normalize(try model.features(input), p: 2, dim: 1) }

        let output = try Reference.run(
            script: "timm_inception_resnet_v2_reference.py", arguments: [weights, inputPath, "\(faces.count)", "160"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let reference = try XCTUnwrap(json["features"] as? [[Double]])
        XCTAssertEqual(reference.count, faces.count)
        let values = try ours.floats()
        var worst = 0.0
        for (i, row) in reference.enumerated() {
            XCTAssertEqual(row.count, InceptionResNetV2.featureSize)
            for (j, y) in row.enumerated() { worst = max(worst, abs(Double(values[i * row.count + j]) - y)) }
        }
        XCTAssertLessThan(worst, 1e-4, "max abs difference of the L2-normalised pooled features to timm: \(worst)")
        // Random weights make every face's features point nearly the same way (all positive after ReLU):
        // the agreement must be far finer than the difference between two faces, or 'equal' means nothing.
        let between = (0..<InceptionResNetV2.featureSize).map { abs(Double(values[$0] - values[InceptionResNetV2.featureSize + $0])) }.max()!
        XCTAssertLessThan(worst, between / 100, "faces 0 and 1 differ by at most \(between)")

        // Parameters: timm's count minus its BatchNorm gammas is ours up to the pool; the head adds the rest.
        let timm = try XCTUnwrap(json["timm_parameters"] as? Int)
        let gammas = try XCTUnwrap(json["timm_gammas"] as? Int)
        XCTAssertEqual(timm, Self.timmParameters)
        let head = model.headParameters.map(\.count).reduce(0, +)
        let total = model.parameters.map(\.count).reduce(0, +)
        XCTAssertEqual(total - head, timm - gammas)
        XCTAssertEqual(head, 1536 * 512 + 512 + 512 * 128 + 128)  // dense, its beta; embedding, its beta
        print("Inception-ResNet-v2 parameters: ours \(total) (trunk \(total - head), head \(head)); "
            + "timm \(timm) with \(gammas) BatchNorm gammas; max abs difference \(worst), faces 0 and 1 differ by \(between)")
    }

    func testTheEmbeddingIsUnitLengthAtTheConfiguredSizes() throws {
        try Torch.configure()
        var description = Backbone.inceptionResNetV2.reference
        description.embeddingSize = 64
        description.hiddenSize = 256
        description.inputSize = 96
        let model = try Backbone.inceptionResNetV2.make(description)
        model.eval()
        let e = try withNoGrad { try model(try Tensor.rand([2, 3, 96, 96])) }
        XCTAssertEqual(e.shape, [2, 64])
        for norm in try e.square().sum(dims: [1]).sqrt().floats() { XCTAssertEqual(norm, 1, accuracy: 1e-5) }
        XCTAssertEqual(model.backbone, .inceptionResNetV2)
    }
}
