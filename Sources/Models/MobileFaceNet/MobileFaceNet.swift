import Support
import TorchBridge

/// MobileFaceNet (Chen, Liu, Gao and Han 2018, "MobileFaceNets: Efficient CNNs for Accurate Real-Time Face
/// Verification on Mobile Devices", arXiv:1804.07573, table 1), bottleneck rows as (expansion t, channels c,
/// repeats n, stride s of the first):
///
///     112x112x3 -> conv3x3 64 /2 -> depthwise conv3x3 64
///       -> bottleneck (2, 64, 5, 2) -> (4, 128, 1, 2) -> (2, 128, 6, 1) -> (4, 128, 1, 2) -> (2, 128, 2, 1)
///       -> conv1x1 512 -> linear GDConv7x7 512 (global depthwise convolution) -> linear conv1x1 128
///
/// BatchNorm after every convolution, PReLU as the non-linearity, no activation after a bottleneck's projection
/// or the GDConv; the paper counts 0.99M parameters and 221M multiply-adds. The last linear 1x1 convolution on
/// the 1x1 grid is a linear layer (`linear`, no bias) with its BatchNorm (`bn`), then L2 normalisation; dropout
/// (`description.dropout`, 0 in the paper) sits before it in training, where Inception-ResNet-v1 has its own.
/// Property names follow TreB1eN/InsightFace_Pytorch's `MobileFaceNet` (`conv_23` is the first bottleneck of
/// row 1, `conv_3` its four repeats; `conv_34`, `conv_4`; `conv_45`, `conv_5`), so state dicts map one to one.
public final class MobileFaceNet: Module, FaceEmbeddingModel, @unchecked Sendable {
    public let conv1: ConvBlock
    public let conv2_dw: ConvBlock
    public let conv_23: DepthWise
    public let conv_3: ResidualStage
    public let conv_34: DepthWise
    public let conv_4: ResidualStage
    public let conv_45: DepthWise
    public let conv_5: ResidualStage
    public let conv_6_sep: ConvBlock
    public let conv_6_dw: ConvBlock
    public let linear: Linear
    public let bn: BatchNorm2d
    public let description: ModelDescription
    public var backbone: Backbone { .mobileFaceNet }

    /// The grid the GDConv covers: four stride-2 layers take 112 px to 7x7.
    public static let gridSize = 7

    public init(_ description: ModelDescription = .mobileFaceNet128) throws {
        let sizes = Backbone.mobileFaceNet.imageSizes
        guard sizes.contains(description.inputSize) else {
            throw UserError(
                "MobileFaceNet needs an input of \(sizes.lowerBound) to \(sizes.upperBound) px (\(Backbone.mobileFaceNet.imageSizeReason)), "
                    + "got \(description.inputSize)")
        }
        self.description = description
        conv1 = try ConvBlock(3, 64, kernel: 3, stride: 2, padding: 1)
        conv2_dw = try ConvBlock(64, 64, kernel: 3, padding: 1, groups: 64)
        conv_23 = try DepthWise(64, 64, expansion: 2, stride: 2)
        conv_3 = try ResidualStage(64, expansion: 2, repeats: 4)
        conv_34 = try DepthWise(64, 128, expansion: 4, stride: 2)
        conv_4 = try ResidualStage(128, expansion: 2, repeats: 6)
        conv_45 = try DepthWise(128, 128, expansion: 4, stride: 2)
        conv_5 = try ResidualStage(128, expansion: 2, repeats: 2)
        conv_6_sep = try ConvBlock(128, 512)
        conv_6_dw = try ConvBlock(512, 512, kernel: Self.gridSize, groups: 512, linear: true)
        linear = try Linear(512, description.embeddingSize, bias: false)
        bn = try BatchNorm2d(description.embeddingSize)
        super.init()
    }

    /// The layers from the image to the 512-D GDConv output [N, 512, 1, 1], in forward order: the forward pass
    /// and the exporter's lowering both walk this list.
    public var trunk: [any Layer] {
        [conv1, conv2_dw, conv_23, conv_3, conv_34, conv_4, conv_45, conv_5, conv_6_sep, conv_6_dw]
    }

    public var head: [Module] { [linear, bn] }

    /// L2-normalised embeddings [N, D] of preprocessed faces [N, 3, 112, 112].
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try trunk.reduce(x) { try $1($0) }.flattened(from: 1)
        h = try F.dropout(h, p: description.dropout, training: isTraining)
        return try l2Normalized(bn(linear(h)))
    }
}

extension ModelDescription {
    /// MobileFaceNet as the paper trains it: 112x112 faces scaled by (x - 127.5) / 128, a 128-D embedding, no
    /// dropout. No published weights are fetched: it trains from scratch.
    public static let mobileFaceNet128 = ModelDescription(
        name: "mobilefacenet", embeddingSize: 128, inputSize: 112, preprocessing: .fixed, dropout: 0)
}
