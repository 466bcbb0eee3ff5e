import Foundation
import HDF5
import Models
import Support
import TestSupport
import TorchBridge
import Training
import XCTest

/// The network is chosen by name (`Backbone`), and a checkpoint says which one its weights are for.
final class BackboneTests: XCTestCase {
    /// A checkpoint of an 80 px Inception-ResNet-v1 with fresh weights.
    func writeCheckpoint(in folder: TemporaryFolder) throws -> String {
        var config = TrainingConfig()
        config.imageSize = 80
        var description = ModelDescription.facenet128
        description.inputSize = 80
        let weights = try Backbone.inceptionResNetV1.make(description).stateDict
        let checkpoint = Checkpoint(
            step: 3, epoch: 0, model: weights, ema: [], optimizerState: [], samplerState: "{}",
            config: String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
        let path = folder.file("checkpoint.h5")
        try checkpoint.write(to: path)
        return path
    }

    func testACheckpointRecordsItsBackbone() throws {
        let folder = try TemporaryFolder()
        let path = try writeCheckpoint(in: folder)
        XCTAssertEqual(try HDF5File(readingFrom: path).readStringAttribute("backbone"), "inception-resnet-v1")
        XCTAssertEqual(try Checkpoint.read(from: path).backbone, .inceptionResNetV1)
        let model = try CheckpointModel.load(path: path)
        XCTAssertEqual(model.backbone, .inceptionResNetV1)
        XCTAssertEqual(model.description.inputSize, 80)
    }

    func testACheckpointWithoutTheAttributeIsAnInceptionResNetV1() throws {
        let folder = try TemporaryFolder()
        let path = try writeCheckpoint(in: folder)
        let file = try HDF5File(updating: path)
        try file.deleteAttribute("backbone")
        try file.close()
        XCTAssertFalse(try HDF5File(readingFrom: path).hasAttribute("backbone"))
        XCTAssertEqual(try CheckpointModel.load(path: path).backbone, .inceptionResNetV1)
    }

    func testAnUnknownBackboneIsRefusedNamingTheFileAndTheKnownOnes() throws {
        let folder = try TemporaryFolder()
        let path = try writeCheckpoint(in: folder)
        let file = try HDF5File(updating: path)
        try file.writeAttribute("backbone", string: "resnet-9000")
        try file.close()
        XCTAssertThrowsError(try CheckpointModel.load(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path): backbone 'resnet-9000' is none this facenet knows (inception-resnet-v1, inception-resnet-v2 or mobilefacenet)")
        }
    }

    func testTheConfigFieldTakesOnlyKnownNames() throws {
        let data = [("data_dir", "x")]
        XCTAssertEqual(try ConfigLoader.load(path: nil, overrides: data).backbone, .inceptionResNetV1)
        let named = try ConfigLoader.load(path: nil, overrides: data + [("backbone", "inception-resnet-v1")])
        XCTAssertEqual(named.backbone, .inceptionResNetV1)
        XCTAssertThrowsError(try ConfigLoader.load(path: nil, overrides: data + [("backbone", "mobilenet")])) { error in
            XCTAssertEqual(
                "\(error)", "--backbone (command line): field 'backbone' must be inception-resnet-v1, inception-resnet-v2 or mobilefacenet, got 'mobilenet'")
        }
    }

    /// image_size's range is the backbone's: MobileFaceNet's GDConv needs a 7x7 grid.
    func testTheImageSizeRangeIsTheBackbones() throws {
        let mobile = [("data_dir", "x"), ("backbone", "mobilefacenet")]
        XCTAssertThrowsError(try ConfigLoader.load(path: nil, overrides: mobile)) { error in
            XCTAssertEqual(
                "\(error)",
                "<defaults>: field 'image_size' must be in [97, 112] for backbone mobilefacenet, its 7x7 global "
                    + "depthwise convolution needs a 7x7 grid, ceil(image_size / 16) = 7 (default 160), got 160 "
                    + "(the reference input is 112)")
        }
        XCTAssertEqual(try ConfigLoader.load(path: nil, overrides: mobile + [("image_size", "112")]).imageSize, 112)
        XCTAssertEqual(try ConfigLoader.load(path: nil, overrides: [("data_dir", "x"), ("image_size", "160")]).imageSize, 160)
    }

    /// The head is the layers after the GDConv: the embedding layer and its BatchNorm.
    func testMobileFaceNetsHeadIsTheEmbeddingAndItsNormalisation() throws {
        let model = try XCTUnwrap(try Backbone.mobileFaceNet.make(.mobileFaceNet128) as? MobileFaceNet)
        XCTAssertEqual(
            model.headParameters.map(ObjectIdentifier.init),
            [model.linear.weight, model.bn.weight!, model.bn.bias].map(ObjectIdentifier.init))
        XCTAssertEqual(Backbone.mobileFaceNet.reference.preprocessing, .fixed)
        XCTAssertNil(Backbone.mobileFaceNet.pretrainedWeights)
    }

    /// The optimizer's head group is the model's `head`, not fields named in the trainer.
    func testTheHeadIsTheBottleneckAndItsNormalisation() throws {
        let model = try Backbone.inceptionResNetV1.make(.facenet128) as! InceptionResNetV1
        XCTAssertEqual(
            model.headParameters.map(ObjectIdentifier.init),
            [model.last_linear.weight, model.last_bn.bias].map(ObjectIdentifier.init))
    }
}
