import TorchBridge

/// out = activation(x + scale * up(concat(branches))): the residual connection of every Inception-ResNet block.
/// `up` is the block's 1x1 convolution (with bias, no BatchNorm) back to the trunk's width.
func residual(_ x: Tensor, _ branches: [Tensor], up: Conv2d, scale: Double, relu: Bool) throws -> Tensor {
    let mixed = try Tensor.cat(branches, dim: 1)
    let out = try x.adding(up(mixed), scaledBy: scale)
    return relu ? try out.relu_() : out
}

/// The pretrained names of a block's up-projection convolution (`<Block>_Conv2d_1x1`).
func upProjectionWeights(_ conv: Conv2d, block: String) -> [KerasWeight] {
    let layer = block + "_Conv2d_1x1"
    return [
        KerasWeight(tensor: conv.weight, layer: layer, weight: "kernel", layout: .convHWIO),
        KerasWeight(tensor: conv.bias!, layer: layer, weight: "bias", layout: .vector),
    ]
}
