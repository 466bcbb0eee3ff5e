import Support

/// The network a model is built from, by name: config field `backbone`, `--backbone`, and a checkpoint's
/// `backbone` attribute. A network is one case here, one `FaceEmbeddingModel` type and its lowering (Export).
public enum Backbone: String, Choice {
    /// Inception-ResNet-v1 (Szegedy et al. 2016), davidsandberg/facenet's network (`InceptionResNetV1`).
    case inceptionResNetV1 = "inception-resnet-v1"
    /// Inception-ResNet-v2 (Szegedy et al. 2016) with the seeds' 512-unit dense layer (`InceptionResNetV2`).
    case inceptionResNetV2 = "inception-resnet-v2"

    /// The network with fresh weights.
    public func make(_ description: ModelDescription) throws -> any FaceEmbeddingModel {
        switch self {
        case .inceptionResNetV1: try InceptionResNetV1(description)
        case .inceptionResNetV2: try InceptionResNetV2(description)
        }
    }

    /// The network as its reference trains it (input size, embedding size, preprocessing): what a model
    /// trained from scratch starts from, and what a Keras file of its weights holds.
    public var reference: ModelDescription {
        switch self {
        case .inceptionResNetV1: .facenet128
        // davidsandberg/facenet trains it at 160 px with the same prewhitening.
        case .inceptionResNetV2:
            ModelDescription(name: "inception-resnet-v2", embeddingSize: 128, inputSize: 160, preprocessing: .prewhiten)
        }
    }

    /// The Keras file of the network's published weights in the weights cache (`reference` describes them),
    /// nil when there are none: `init_from: pretrained` and the default `--model`.
    public var pretrainedWeights: String? {
        switch self {
        case .inceptionResNetV1: FacenetHome.pretrainedFaceNet
        case .inceptionResNetV2: nil
        }
    }
}
