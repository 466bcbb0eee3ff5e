import TorchBridge

/// An Inception-ResNet block: branches of units run on the same input, concatenated, projected back to the
/// trunk's width by `conv2d` (1x1 with bias, no BatchNorm), scaled and added to the input, then ReLU unless
/// `relu` is false. A block states its parts; its forward pass is this one, and the exporter lowers the same parts.
public protocol InceptionResidual: Layer {
    /// The branches in concatenation order, each a chain of units.
    var branches: [[BasicConv2d]] { get }
    /// The up-projection.
    var conv2d: Conv2d { get }
    var scale: Double { get }
    var relu: Bool { get }
}

extension InceptionResidual {
    /// out = activation(x + scale * up(concat(branches)))
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let mixed = try Tensor.cat(branches.map { try sequence($0, x) }, dim: 1)
        let out = try x.adding(conv2d(mixed), scaledBy: scale)
        return relu ? try out.relu_() : out
    }
}
