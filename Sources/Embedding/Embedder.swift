import Models
import Support
import TorchBridge
import Vision

/// Computes L2-normalised embeddings of aligned faces with a model in evaluation mode.
public final class Embedder: @unchecked Sendable {
    public let model: any FaceEmbeddingModel
    public var description: ModelDescription { model.description }
    /// The arithmetic of the forward pass; the embeddings are float32 in either.
    public let precision: Precision
    /// The weights file, for messages.
    public let source: String
    private var checkedFirstBatch = false

    /// Puts the model in evaluation mode and channels-last memory (faster NHWC convolutions on CPU).
    /// `fixedWeights`: the weights will not change while the embedder is used (a model loaded from a file, not
    /// one being trained), so in bf16 the convolutions' and linear layers' weights are cast to bfloat16 once,
    /// here, instead of by autocast on every batch (the same embeddings, bit for bit).
    public init(
        model: any FaceEmbeddingModel, source: String? = nil, precision: Precision = .fp32, channelsLast: Bool = true,
        fixedWeights: Bool = false
    ) throws {
        self.model = model
        self.precision = precision
        self.source = source ?? model.description.name
        model.eval()
        if channelsLast { try model.toChannelsLast() }
        if fixedWeights, precision == .bf16 { try model.castAutocastWeights(to: .bfloat16) }
    }

    /// Embeddings [B, D] of a preprocessed batch [B, 3, S, S]. The first batch is checked to be finite: weights
    /// holding NaN or infinity would otherwise give NaN embeddings and a silently meaningless evaluation.
    public func embed(_ batch: Tensor) throws -> Tensor {
        let embeddings = try withNoGrad { try precision.run { try model(batch) } }
        if !checkedFirstBatch {
            guard try embeddings.floats().allSatisfy(\.isFinite) else {
                throw UserError("\(source): the model gives non-finite embeddings (NaN or infinity): its weights are damaged")
            }
            checkedFirstBatch = true
        }
        return embeddings
    }

    /// Embeddings of decoded faces, one row of `description.embeddingSize` floats per face.
    public func embed(_ images: [Image], flip: Bool = false) throws -> [[Float]] {
        let values = try embed(FaceBatch.tensor(images, description: description, flip: flip)).floats()
        let d = description.embeddingSize
        return (0..<images.count).map { Array(values[($0 * d)..<(($0 + 1) * d)]) }
    }
}
