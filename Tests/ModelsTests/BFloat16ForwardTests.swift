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
        let cosines = zip(fp32, bf16).map { a, b in zip(a, b).map { Double($0) * Double($1) }.reduce(0, +) }
        let mean = cosines.reduce(0, +) / Double(cosines.count)
        print(String(format: "bf16 vs fp32 on %d faces: mean cosine %.6f, min %.6f", cosines.count, mean, cosines.min()!))
        XCTAssertEqual(cosines.count, count)
        XCTAssertGreaterThanOrEqual(mean, 0.9999)
        XCTAssertGreaterThanOrEqual(cosines.min()!, 0.999)
        XCTAssertLessThan(cosines.min()!, 1, "identical embeddings: bf16 did not run")

        // As the commands run it (fixed weights): the convolutions' and linear layers' weights cast to
        // bfloat16 once, at load, give autocast's embeddings bit for bit, and the weights really are bfloat16.
        let castOnce = try Embedder(model: InceptionResNetV1.pretrained(), precision: .bf16, fixedWeights: true)
        XCTAssertEqual(try castOnce.embed(faces), bf16)
        let layers = castOnce.model.namedModules.filter { $0.1 is Conv2d || $0.1 is Linear }
        XCTAssertEqual(layers.count, 133)  // 132 convolutions (111 with BatchNorm, 21 up-projections) and the bottleneck
        for (name, layer) in layers {
            for tensor in layer.parameters { XCTAssertEqual(try tensor.dtype, .bfloat16, name) }
        }
        for (name, tensor) in castOnce.model.namedParameters where name.contains("bn.") {
            XCTAssertEqual(try tensor.dtype, .float32, "\(name): BatchNorm stays float32")
        }
    }
}
