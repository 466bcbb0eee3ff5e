import TorchBridge

/// A network from preprocessed faces [N, 3, S, S] to L2-normalised embeddings [N, D]: what training,
/// embedding, validation, checkpoints and export hold, whichever `Backbone` it is. Parameters, buffers, the
/// state dict, train/eval and channels-last come from `Module`; the forward pass is the `Layer`'s call.
public protocol FaceEmbeddingModel: Layer, Sendable {
    /// Input size, embedding size and preprocessing: what a caller must know to feed it.
    var description: ModelDescription { get }
    /// The architecture's name, as configs and checkpoints record it.
    var backbone: Backbone { get }
    /// The layers after the pooled features (bottleneck and its normalisation): `head_learning_rate` trains
    /// their parameters at a rate of their own, and the Keras importer reads them first.
    var head: [Module] { get }
}

extension FaceEmbeddingModel {
    /// The trainable tensors of `head`.
    public var headParameters: [Tensor] { head.flatMap(\.parameters) }

    /// The rows of the head's output scaled to unit length, in float32 whatever precision the layers ran in
    /// (a bfloat16 norm would carry its 8-bit mantissa into every distance).
    public func l2Normalized(_ h: Tensor) throws -> Tensor { try F.normalize(h.to(.float32), p: 2, dim: 1) }
}
