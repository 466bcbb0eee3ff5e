import TorchBridge

/// A reduction block (the paper's figures 7 and 12): branches of units ending in a stride-2 one, then a max
/// pool of the input, concatenated; the grid is halved.
public protocol InceptionReduction: Layer {
    /// The convolution branches in concatenation order, each a chain of units.
    var branches: [[BasicConv2d]] { get }
    /// The last branch (3x3, stride 2).
    var pool: MaxPool2d { get }
}

extension InceptionReduction {
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.cat(branches.map { try sequence($0, x) } + [pool(x)], dim: 1)
    }
}
