import TorchBridge

/// The FaceNet backbone (Szegedy et al. 2016, "Inception-v4, Inception-ResNet and the Impact of Residual
/// Connections", figure 15 with the Inception-ResNet-v1 blocks), as davidsandberg/facenet trains it:
///
///     stem -> 5 x Block35 (0.17) -> Reduction-A -> 10 x Block17 (0.10) -> Reduction-B
///          -> 5 x Block8 (0.20) -> Block8 (no ReLU) -> global average pool -> dropout
///          -> bottleneck linear (no bias) -> BatchNorm -> L2 normalisation
///
/// Property names follow facenet-pytorch's `InceptionResnetV1`, so its state dicts map one to one; the
/// pretrained Keras file's names for them are the importer's (`PretrainedNames`).
public final class InceptionResNetV1: Module, FaceEmbeddingModel, PooledTrunk, @unchecked Sendable {
    public let conv2d_1a: BasicConv2d
    public let conv2d_2a: BasicConv2d
    public let conv2d_2b: BasicConv2d
    public let maxpool_3a: MaxPool2d
    public let conv2d_3b: BasicConv2d
    public let conv2d_4a: BasicConv2d
    public let conv2d_4b: BasicConv2d
    public let repeat_1: [Block35]
    public let mixed_6a: Mixed6a
    public let repeat_2: [Block17]
    public let mixed_7a: Mixed7a
    public let repeat_3: [Block8]
    public let block8: Block8
    public let last_linear: Linear
    public let last_bn: BatchNorm2d
    public let description: ModelDescription
    public var backbone: Backbone { .inceptionResNetV1 }

    public init(_ description: ModelDescription = .facenet128) throws {
        self.description = description
        conv2d_1a = try BasicConv2d(3, 32, kernel: 3, stride: 2)
        conv2d_2a = try BasicConv2d(32, 32, kernel: 3)
        conv2d_2b = try BasicConv2d(32, 64, kernel: 3, same: true)
        maxpool_3a = MaxPool2d(kernel: 3, stride: 2)
        conv2d_3b = try BasicConv2d(64, 80, kernel: 1)
        conv2d_4a = try BasicConv2d(80, 192, kernel: 3)
        conv2d_4b = try BasicConv2d(192, 256, kernel: 3, stride: 2)
        repeat_1 = try (0..<5).map { _ in try Block35(.v1) }
        mixed_6a = try Mixed6a(.v1)
        repeat_2 = try (0..<10).map { _ in try Block17(.v1) }
        mixed_7a = try Mixed7a(.v1)
        repeat_3 = try (0..<5).map { _ in try Block8(.v1) }
        block8 = try Block8(scale: 1.0, relu: false, .v1)
        last_linear = try Linear(1792, description.embeddingSize, bias: false)
        last_bn = try BatchNorm2d(description.embeddingSize, eps: 0.001, momentum: 0.1, scale: false)
        super.init()
    }

    /// The layers from the image to the 1792-channel grid, in forward order: the forward pass and the
    /// exporter's lowering both walk this list.
    public var trunk: [any Layer] {
        let stem: [any Layer] = [conv2d_1a, conv2d_2a, conv2d_2b, maxpool_3a, conv2d_3b, conv2d_4a, conv2d_4b]
        let blocks: [[any Layer]] = [repeat_1, [mixed_6a], repeat_2, [mixed_7a], repeat_3, [block8]]
        return stem + blocks.joined()
    }

    public var head: [Module] { [last_linear, last_bn] }

    /// L2-normalised embeddings [N, D] of preprocessed faces [N, 3, H, W].
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try features(x)
        h = try F.dropout(h, p: description.dropout, training: isTraining)
        h = try last_bn(last_linear(h))
        return try l2Normalized(h)
    }
}
