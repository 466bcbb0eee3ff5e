import Embedding
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import XCTest

/// `--precision bf16` really computes in bfloat16, and its embeddings are float32 and close to float32's.
final class BFloat16ForwardTests: XCTestCase {
    /// Every layer of each backbone's trunk gives a bfloat16 tensor under `Precision.bf16` (no layer falls
    /// back to float32 unseen), and the embedding that comes out is float32 with unit rows.
    func testEveryTrunkLayerOfEveryBackboneComputesInBFloat16() throws {
        try Torch.configure()
        try Torch.manualSeed(17)
        let v1 = try InceptionResNetV1()
        let v2 = try InceptionResNetV2()
        let mobile = try MobileFaceNet()
        let networks: [(any FaceEmbeddingModel, [any Layer])] = [(v1, v1.trunk), (v2, v2.trunk), (mobile, mobile.trunk)]
        for (model, trunk) in networks {
            model.eval()
            let side = model.description.inputSize
            let x = try Tensor.randn([2, 3, side, side])
            let name = model.backbone.rawValue
            try withNoGrad {
                try Precision.bf16.run {
                    var h = x
                    for (i, layer) in trunk.enumerated() {
                        h = try layer(h)
                        XCTAssertEqual(try h.dtype, .bfloat16, "\(name): trunk layer \(i) (\(type(of: layer)))")
                    }
                    let embeddings = try model(x)
                    XCTAssertEqual(try embeddings.dtype, .float32, name)
                    let norms = try embeddings.norm(dims: [1]).floats()
                    for n in norms { XCTAssertEqual(n, 1, accuracy: 1e-5, name) }
                }
                XCTAssertEqual(try trunk[0](x).dtype, .float32, "\(name): after the scope")
            }
        }
    }

    /// The pretrained FaceNet on LFW faces: bf16 embeddings against float32 ones. 200 faces where the CPU has
    /// bfloat16 products; 24 where libtorch converts in software (about 1 face/s on a 2-core Zen 3, where 200
    /// took 228 s of the suite): the same bounds, on fewer faces.
    func testPretrainedBFloat16EmbeddingsAgreeWithFloat32OnLFWFaces() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try Torch.configure()
        let count = CPUFeatures.current.hasNativeBFloat16 ? 200 : 24
        let faces = try LFWFaces.centreCropped(count: count)
        let model = try InceptionResNetV1.pretrained()
        let fp32 = try Embedder(model: model, precision: .fp32).embed(faces)
        let bf16 = try Embedder(model: model, precision: .bf16).embed(faces)
        // As the commands run it: BatchNorm folded into bfloat16 convolutions once (fixed weights).
        let folded = try Embedder(model: InceptionResNetV1.pretrained(), precision: .bf16, fixedWeights: true)
        let bf16Folded = try folded.embed(faces)
        for (label, embeddings) in [("bf16", bf16), ("bf16 folded", bf16Folded)] {
            let cosines = zip(fp32, embeddings).map { a, b in zip(a, b).map { Double($0) * Double($1) }.reduce(0, +) }
            let mean = cosines.reduce(0, +) / Double(cosines.count)
            print(String(format: "%@ vs fp32 on %d faces: mean cosine %.6f, min %.6f", label, cosines.count, mean, cosines.min()!))
            XCTAssertEqual(cosines.count, count)
            XCTAssertGreaterThanOrEqual(mean, 0.9999, label)
            XCTAssertGreaterThanOrEqual(cosines.min()!, 0.999, label)
            XCTAssertLessThan(cosines.min()!, 1, "\(label): identical embeddings: bf16 did not run")
        }
        XCTAssertNotEqual(bf16Folded, bf16, "folding changed nothing: it did not run")
        let units = folded.model.namedModules.compactMap { $0.1 as? BasicConv2d }
        // Every convolution followed by BatchNorm: 132 convolutions less the 21 blocks' up-projections (5 Block35,
        // 10 Block17, 6 Block8), which have a bias and no BatchNorm.
        XCTAssertEqual(units.count, 111)
        for unit in units { XCTAssertEqual(try unit.folded?.weight.dtype, .bfloat16) }
    }

    /// Folding a BatchNorm into the convolution before it (`FoldedConvolution`, kept in float32 here) gives
    /// what the two layers give one after the other, in evaluation mode with non-trivial running statistics:
    /// a TF-slim unit (no gamma, eps 1e-3) and a depthwise MobileFaceNet unit (gamma, eps 1e-5, PReLU).
    func testAFoldedBatchNormComputesWhatTheTwoLayersCompute() throws {
        try Torch.configure()
        try Torch.manualSeed(5)
        let slim = try BasicConv2d(6, 8, kernel: 3, stride: 2)
        let depthwise = try ConvBlock(6, 6, kernel: 3, padding: 1, groups: 6)
        let units: [(any BatchNormFolding & Layer, BatchNorm2d)] = [(slim, slim.bn), (depthwise, depthwise.bn)]
        let x = try Tensor.randn([3, 6, 9, 9])
        for (unit, bn) in units {
            try withNoGrad {
                try bn.runningMean.copyFrom(Tensor.randn(bn.runningMean.shape))
                try bn.runningVar.copyFrom(Tensor.rand(bn.runningVar.shape) + 0.5)
                try bn.bias.copyFrom(Tensor.randn(bn.bias.shape))
                if let gamma = bn.weight { try gamma.copyFrom(Tensor.rand(gamma.shape) + 0.5) }
            }
            unit.eval()
            let reference = try withNoGrad { try unit(x).floats() }
            try unit.setFolded(.float32)
            let folded = try withNoGrad { try unit(x).floats() }
            XCTAssertEqual(folded.count, reference.count)
            let worst = zip(folded, reference).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-5, "\(type(of: unit))")
            XCTAssertGreaterThan(reference.map(abs).max()!, 0.5, "a trivial output proves nothing")
            // Training mode runs the layers again (batch statistics), whatever is folded.
            unit.train()
            let training = try withNoGrad { try unit(x).floats() }
            XCTAssertGreaterThan(zip(training, reference).map { abs($0 - $1) }.max()!, 1e-3)
        }
    }
}
