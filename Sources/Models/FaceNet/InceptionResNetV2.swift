import TorchBridge

/// Inception-ResNet-v2 (Szegedy et al. 2016, "Inception-v4, Inception-ResNet and the Impact of Residual
/// Connections", figure 15 with the v2 blocks, figures 16-19), with the widths of the reference
/// implementations (TF-slim's `inception_resnet_v2.py`, which davidsandberg/facenet's
/// `src/models/inception_resnet_v2.py` follows, Keras' `InceptionResNetV2`, timm's `inception_resnet_v2`):
///
///     stem (figure 3's convolutions, then Mixed_5b) -> 10 x Block35 (0.17) -> Reduction-A
///          -> 20 x Block17 (0.10) -> Reduction-B -> 9 x Block8 (0.20) -> Block8 (no ReLU) -> 1x1 conv 1536
///          -> global average pool -> dropout -> dense (hiddenSize, BatchNorm, ReLU)
///          -> embedding linear (no bias) -> BatchNorm -> L2 normalisation
///
/// The head is the seeds' "512-unit dense layer and a 128-D L2-normalised embedding". Property names follow
/// timm's state dict (`repeat_1.3.branch1.2.conv.weight`), so its weights map one to one up to the pool.
public final class InceptionResNetV2: Module, FaceEmbeddingModel, PooledTrunk, @unchecked Sendable {
    public let conv2d_1a: BasicConv2d
    public let conv2d_2a: BasicConv2d
    public let conv2d_2b: BasicConv2d
    public let maxpool_3a: MaxPool2d
    public let conv2d_3b: BasicConv2d
    public let conv2d_4a: BasicConv2d
    public let maxpool_5a: MaxPool2d
    public let mixed_5b: Mixed5b
    public let `repeat`: [Block35]
    public let mixed_6a: Mixed6a
    public let repeat_1: [Block17]
    public let mixed_7a: Mixed7a
    public let repeat_2: [Block8]
    public let block8: Block8
    public let conv2d_7b: BasicConv2d
    public let dense: Linear
    public let dense_bn: BatchNorm2d
    public let last_linear: Linear
    public let last_bn: BatchNorm2d
    public let description: ModelDescription
    public var backbone: Backbone { .inceptionResNetV2 }

    /// Width of the pooled features.
    public static let featureSize = 1536

    public init(_ description: ModelDescription = Backbone.inceptionResNetV2.reference) throws {
        self.description = description
        conv2d_1a = try BasicConv2d(3, 32, kernel: 3, stride: 2)
        conv2d_2a = try BasicConv2d(32, 32, kernel: 3)
        conv2d_2b = try BasicConv2d(32, 64, kernel: 3, same: true)
        maxpool_3a = MaxPool2d(kernel: 3, stride: 2)
        conv2d_3b = try BasicConv2d(64, 80, kernel: 1)
        conv2d_4a = try BasicConv2d(80, 192, kernel: 3)
        maxpool_5a = MaxPool2d(kernel: 3, stride: 2)
        mixed_5b = try Mixed5b(trunk: 192)
        `repeat` = try (0..<10).map { _ in try Block35(scale: 0.17, .v2) }
        mixed_6a = try Mixed6a(.v2)
        repeat_1 = try (0..<20).map { _ in try Block17(scale: 0.10, .v2) }
        mixed_7a = try Mixed7a(.v2)
        repeat_2 = try (0..<9).map { _ in try Block8(scale: 0.20, .v2) }
        block8 = try Block8(scale: 1.0, relu: false, .v2)
        conv2d_7b = try BasicConv2d(2080, Self.featureSize, kernel: 1)
        dense = try Linear(Self.featureSize, description.hiddenSize, bias: false)
        dense_bn = try BatchNorm2d(description.hiddenSize, eps: 0.001, momentum: 0.1, scale: false)
        last_linear = try Linear(description.hiddenSize, description.embeddingSize, bias: false)
        last_bn = try BatchNorm2d(description.embeddingSize, eps: 0.001, momentum: 0.1, scale: false)
        super.init()
    }

    /// The layers from the image to the 1536-channel grid, in forward order: the forward pass and the
    /// exporter's lowering both walk this list.
    public var trunk: [any Layer] {
        let stem: [any Layer] = [conv2d_1a, conv2d_2a, conv2d_2b, maxpool_3a, conv2d_3b, conv2d_4a, maxpool_5a, mixed_5b]
        let blocks: [[any Layer]] = [`repeat`, [mixed_6a], repeat_1, [mixed_7a], repeat_2, [block8, conv2d_7b]]
        return stem + blocks.joined()
    }

    public var head: [Module] { [dense, dense_bn, last_linear, last_bn] }

    /// L2-normalised embeddings [N, D] of preprocessed faces [N, 3, H, W].
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try features(x)
        h = try F.dropout(h, p: description.dropout, training: isTraining)
        h = try dense_bn(dense(h)).relu_()
        h = try last_bn(last_linear(h))
        return try l2Normalized(h)
    }
}
