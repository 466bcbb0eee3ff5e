/// A 2-D convolution over NCHW input with an OIHW weight [out, in / groups, kh, kw], as torch.nn.Conv2d:
/// `groups` splits the channels into that many independent convolutions; groups == in == out is a depthwise
/// convolution (one kh x kw filter per channel).
public final class Conv2d: Module, Layer, @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let groups: Int

    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
        padding: (Int, Int) = (0, 0), groups: Int = 1, bias: Bool = true
    ) throws {
        guard groups >= 1, inChannels % groups == 0, outChannels % groups == 0 else {
            throw TorchError(message: "Conv2d: \(inChannels) input and \(outChannels) output channels cannot be split into \(groups) groups")
        }
        let fanIn = inChannels / groups * kernel.0 * kernel.1
        weight = try Init.pytorchDefault([outChannels, inChannels / groups, kernel.0, kernel.1], fanIn: fanIn).requiringGrad()
        self.bias = bias ? try Init.pytorchDefault([outChannels], fanIn: fanIn).requiringGrad() : nil
        self.stride = stride
        self.padding = padding
        self.groups = groups
        super.init()
    }

    /// True for a depthwise convolution: one filter per channel (groups == in == out).
    public var isDepthwise: Bool { groups > 1 && weight.shape[1] == 1 && weight.shape[0] == groups }

    public convenience init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true
    ) throws {
        try self.init(
            inChannels, outChannels, kernel: (kernel, kernel), stride: (stride, stride), padding: (padding, padding),
            bias: bias)
    }

    override public var ownParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups)
    }
}
