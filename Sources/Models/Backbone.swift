import Support

/// The network a model is built from, by name: config field `backbone`, `--backbone`, and a checkpoint's
/// `backbone` attribute. A network is one case here, one `FaceEmbeddingModel` type and its lowering (Export).
public enum Backbone: String, Choice {
    /// Inception-ResNet-v1 (Szegedy et al. 2016), davidsandberg/facenet's network (`InceptionResNetV1`).
    case inceptionResNetV1 = "inception-resnet-v1"

    /// The network with fresh weights.
    public func make(_ description: ModelDescription) throws -> any FaceEmbeddingModel {
        switch self {
        case .inceptionResNetV1: try InceptionResNetV1(description)
        }
    }

    /// The network as its reference trains it (input size, embedding size, preprocessing): what a model
    /// trained from scratch starts from, and what a Keras file of its weights holds.
    public var reference: ModelDescription {
        switch self {
        case .inceptionResNetV1: .facenet128
        }
    }

    /// The Keras file of the network's published weights in the weights cache (`reference` describes them),
    /// nil when there are none: `init_from: pretrained` and the default `--model`.
    public var pretrainedWeights: String? {
        switch self {
        case .inceptionResNetV1: FacenetHome.pretrainedFaceNet
        }
    }
}
