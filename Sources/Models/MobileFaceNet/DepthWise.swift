import TorchBridge

/// The bottleneck of MobileFaceNet's table 1 (MobileNetV2's inverted residual, Sandler et al. 2018, table 1,
/// with PReLU): 1x1 expansion to t x in channels, 3x3 depthwise convolution (the block's stride), linear 1x1
/// projection to the output channels; the input is added when the stride is 1 and the channel counts agree.
/// TreB1eN/InsightFace_Pytorch's `Depth_Wise` (`conv`, `conv_dw`, `project`).
public final class DepthWise: Module, Layer, @unchecked Sendable {
    public let conv: ConvBlock
    public let conv_dw: ConvBlock
    public let project: ConvBlock
    public let residual: Bool

    public init(_ inChannels: Int, _ outChannels: Int, expansion: Int, stride: Int) throws {
        let hidden = inChannels * expansion
        conv = try ConvBlock(inChannels, hidden)
        conv_dw = try ConvBlock(hidden, hidden, kernel: 3, stride: stride, padding: 1, groups: hidden)
        project = try ConvBlock(hidden, outChannels, linear: true)
        residual = stride == 1 && inChannels == outChannels
        super.init()
    }

    /// The three units in forward order: the forward pass and the exporter walk this list.
    public var units: [ConvBlock] { [conv, conv_dw, project] }

    /// out = project(depthwise(expand(x))) (+ x when residual)
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try units.reduce(x) { try $1($0) }
        return residual ? try x + y : y
    }
}
