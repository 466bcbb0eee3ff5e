/// A convolution with the BatchNorm after it folded in, for inference with weights that no longer change.
/// Per output channel, with s = gamma / sqrt(running_var + eps) (gamma 1 where the BatchNorm has none):
///     W' = W * s,    b' = beta + (b - running_mean) * s
/// (BatchNorm's inference transform, Ioffe & Szegedy 2015, section 3.1, applied to the convolution's output).
/// Folded in float32 and then stored once in the compute dtype, channels-last where the weight was: neither
/// the BatchNorm pass over the activations nor autocast's per-call cast of the weights remains.
public struct FoldedConvolution: @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor
    let stride: (Int, Int)
    let padding: (Int, Int)
    let groups: Int

    public init(_ conv: Conv2d, _ bn: BatchNorm2d, dtype: DType) throws {
        (weight, bias) = try withNoGrad {
            let s = try (bn.runningVar.detached() + bn.eps).rsqrt()
            let scale = try bn.weight.map { try $0.detached() * s } ?? s
            let shift = try conv.bias.map { try $0.detached() - bn.runningMean.detached() } ?? (-bn.runningMean.detached())
            var weight = try (conv.weight.detached() * scale.reshaped([-1, 1, 1, 1])).to(dtype)
            if conv.weight.isContiguous(channelsLast: true) { weight = try weight.channelsLast() }
            return (weight, try (bn.bias.detached() + shift * scale).to(dtype))
        }
        stride = conv.stride
        padding = conv.padding
        groups = conv.groups
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups)
    }
}

/// A unit made of a convolution followed by BatchNorm that can run as one `FoldedConvolution`.
public protocol BatchNormFolding: Module {
    /// Runs folded in `dtype` from now on in evaluation mode, or, given nil, as convolution then BatchNorm again.
    func setFolded(_ dtype: DType?) throws
}

extension Module {
    /// Folds every BatchNorm of the tree that follows a convolution into it, stored in `dtype`: for inference
    /// only, with weights that will not change (a training step would leave the folded copies stale).
    public func foldBatchNorms(into dtype: DType) throws {
        for case let unit as BatchNormFolding in namedModules.map(\.1) { try unit.setFolded(dtype) }
    }
}
