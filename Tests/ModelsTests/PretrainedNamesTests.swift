import Models
import XCTest

/// The Keras layer of every module of InceptionResNetV1 (`PretrainedNames`): the importer reads by it and
/// the exporter names its tensors by it, so no module may lack one.
final class PretrainedNamesTests: XCTestCase {
    func testEveryModuleHasItsPretrainedLayerName() throws {
        let model = try InceptionResNetV1()
        let unnamed = model.namedModules.map(\.0).filter { !$0.isEmpty && model.kerasLayer(at: $0) == nil }
        XCTAssertEqual(unnamed, [])
        let expected = [
            "conv2d_1a": "Conv2d_1a_3x3", "conv2d_4b.bn": "Conv2d_4b_3x3_BatchNorm", "maxpool_3a": "MaxPool_3a_3x3",
            "repeat_1.0": "Block35_1", "repeat_1.0.branch1.1": "Block35_1_Branch_1_Conv2d_0b_3x3",
            "repeat_1.4.branch2.2.conv": "Block35_5_Branch_2_Conv2d_0c_3x3", "repeat_2.9.conv2d": "Block17_10_Conv2d_1x1",
            "mixed_6a.branch0": "Mixed_6a_Branch_0_Conv2d_1a_3x3", "mixed_7a.branch3": "Mixed_7a_Branch_3_MaxPool_1a_3x3",
            "block8": "Block8_6", "block8.branch1.2.bn": "Block8_6_Branch_1_Conv2d_0c_3x1_BatchNorm",
            "last_linear": "Bottleneck", "last_bn": "Bottleneck_BatchNorm",
        ]
        for (path, layer) in expected { XCTAssertEqual(model.kerasLayer(at: path), layer, path) }
        XCTAssertNil(model.kerasLayer(at: "repeat_9.0"))
    }
}
