/// InceptionResNetV1's layers in the pretrained Keras file (davidsandberg/facenet's TF-slim scopes):
/// `conv2d_1a` is `Conv2d_1a_3x3`, `repeat_1.0.branch1.1` is `Block35_1_Branch_1_Conv2d_0b_3x3`; the
/// BatchNorm of a unit is `<unit>_BatchNorm`, its convolution the unit's own layer.
extension InceptionResNetV1: KerasNamed {
    public func kerasLayer(at path: String) -> String? {
        var parts = path.split(separator: ".").map(String.init)
        var suffix = ""
        switch parts.last {  // inside a BasicConv2d
        case "conv": parts.removeLast()
        case "bn": parts.removeLast(); suffix = "_BatchNorm"
        default: break
        }
        guard let part = parts.first else { return nil }
        if let layer = Self.kerasParts[part], parts.count == 1 { return layer + suffix }
        guard let block = Self.kerasBlocks[part] else { return nil }
        var name = block.name
        var inner = parts.dropFirst()
        if block.repeated {
            guard let index = inner.first.flatMap({ Int($0) }) else { return nil }
            name += "_\(index + 1)"
            inner = inner.dropFirst()
        }
        if inner.isEmpty { return name + suffix }
        return block.layers[inner.joined(separator: ".")].map { "\(name)_\($0)\(suffix)" }
    }

    /// The parts outside the blocks.
    static let kerasParts = [
        "conv2d_1a": "Conv2d_1a_3x3", "conv2d_2a": "Conv2d_2a_3x3", "conv2d_2b": "Conv2d_2b_3x3",
        "maxpool_3a": "MaxPool_3a_3x3", "conv2d_3b": "Conv2d_3b_1x1", "conv2d_4a": "Conv2d_4a_3x3",
        "conv2d_4b": "Conv2d_4b_3x3", "last_linear": "Bottleneck", "last_bn": "Bottleneck_BatchNorm",
    ]

    /// The blocks: a repeated part's i-th block is `<name>_<i+1>` (`block8` is the sixth Block8), and its
    /// layers are `<block>_<layer>`.
    static let kerasBlocks: [String: (name: String, repeated: Bool, layers: [String: String])] = [
        "repeat_1": ("Block35", true, block35Layers),
        "mixed_6a": ("Mixed_6a", false, mixed6aLayers),
        "repeat_2": ("Block17", true, block17Layers),
        "mixed_7a": ("Mixed_7a", false, mixed7aLayers),
        "repeat_3": ("Block8", true, block8Layers),
        "block8": ("Block8_6", false, block8Layers),
    ]

    /// What every residual block has: the one-unit branch and the up-projection.
    static let residualLayers = ["branch0": "Branch_0_Conv2d_1x1", "conv2d": "Conv2d_1x1"]

    static let block35Layers = residualLayers.merging([
        "branch1.0": "Branch_1_Conv2d_0a_1x1", "branch1.1": "Branch_1_Conv2d_0b_3x3",
        "branch2.0": "Branch_2_Conv2d_0a_1x1", "branch2.1": "Branch_2_Conv2d_0b_3x3", "branch2.2": "Branch_2_Conv2d_0c_3x3",
    ]) { shared, _ in shared }

    static let block17Layers = residualLayers.merging([
        "branch1.0": "Branch_1_Conv2d_0a_1x1", "branch1.1": "Branch_1_Conv2d_0b_1x7", "branch1.2": "Branch_1_Conv2d_0c_7x1",
    ]) { shared, _ in shared }

    static let block8Layers = residualLayers.merging([
        "branch1.0": "Branch_1_Conv2d_0a_1x1", "branch1.1": "Branch_1_Conv2d_0b_1x3", "branch1.2": "Branch_1_Conv2d_0c_3x1",
    ]) { shared, _ in shared }

    static let mixed6aLayers = [
        "branch0": "Branch_0_Conv2d_1a_3x3",
        "branch1.0": "Branch_1_Conv2d_0a_1x1", "branch1.1": "Branch_1_Conv2d_0b_3x3", "branch1.2": "Branch_1_Conv2d_1a_3x3",
        "branch2": "Branch_2_MaxPool_1a_3x3",
    ]

    static let mixed7aLayers = [
        "branch0.0": "Branch_0_Conv2d_0a_1x1", "branch0.1": "Branch_0_Conv2d_1a_3x3",
        "branch1.0": "Branch_1_Conv2d_0a_1x1", "branch1.1": "Branch_1_Conv2d_1a_3x3",
        "branch2.0": "Branch_2_Conv2d_0a_1x1", "branch2.1": "Branch_2_Conv2d_0b_3x3", "branch2.2": "Branch_2_Conv2d_1a_3x3",
        "branch3": "Branch_3_MaxPool_1a_3x3",
    ]
}
