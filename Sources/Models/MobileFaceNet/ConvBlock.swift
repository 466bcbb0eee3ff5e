import TorchBridge

/// Convolution without bias, BatchNorm (PyTorch's eps 1e-5, momentum 0.1) and PReLU with one slope per channel;
/// without the PReLU when `linear` (the paper's "linear" layers: a bottleneck's projection and the GDConv).
/// TreB1eN/InsightFace_Pytorch's `Conv_block` and `Linear_block` (`conv`, `bn`, `prelu`), the unit every layer of
/// MobileFaceNet is made of. `groups` == channels makes it depthwise.
public final class ConvBlock: Module, Layer, @unchecked Sendable {
    public let conv: Conv2d
    public let bn: BatchNorm2d
    public let prelu: PReLU?

    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int = 1, stride: Int = 1, padding: Int = 0, groups: Int = 1,
        linear: Bool = false
    ) throws {
        conv = try Conv2d(
            inChannels, outChannels, kernel: (kernel, kernel), stride: (stride, stride), padding: (padding, padding),
            groups: groups, bias: false)
        bn = try BatchNorm2d(outChannels)
        prelu = linear ? nil : try PReLU(outChannels)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try bn(conv(x))
        guard let prelu else { return y }
        return try prelu(y)
    }
}
