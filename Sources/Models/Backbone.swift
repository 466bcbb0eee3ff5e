import Support

/// The network a model is built from, by name: config field `backbone`, `--backbone`, and a checkpoint's
/// `backbone` attribute. A network is one case here, one `FaceEmbeddingModel` type and its lowering (Export).
public enum Backbone: String, Choice {
    /// Inception-ResNet-v1 (Szegedy et al. 2016), davidsandberg/facenet's network (`InceptionResNetV1`).
    case inceptionResNetV1 = "inception-resnet-v1"
    /// Inception-ResNet-v2 (Szegedy et al. 2016) with the seeds' 512-unit dense layer (`InceptionResNetV2`).
    case inceptionResNetV2 = "inception-resnet-v2"
    /// MobileFaceNet (Chen et al. 2018), the on-device network (`MobileFaceNet`).
    case mobileFaceNet = "mobilefacenet"

    /// The network with fresh weights.
    public func make(_ description: ModelDescription) throws -> any FaceEmbeddingModel {
        switch self {
        case .inceptionResNetV1: try InceptionResNetV1(description)
        case .inceptionResNetV2: try InceptionResNetV2(description)
        case .mobileFaceNet: try MobileFaceNet(description)
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
        case .mobileFaceNet: .mobileFaceNet128
        }
    }

    /// The input sides the network accepts, and why: config validation states them.
    public var imageSizes: ClosedRange<Int> {
        switch self {
        // Three stride-2 reductions after the stem (both Inception-ResNets) leave a 1x1 grid at 75 px; below that Reduction-B has no input.
        case .inceptionResNetV1, .inceptionResNetV2: 75...1024
        // Four stride-2 layers (padding 1) give a ceil(S / 16) grid; the 7x7 GDConv needs exactly 7x7.
        case .mobileFaceNet: 97...112
        }
    }

    /// Why `imageSizes` are what they are, for messages.
    public var imageSizeReason: String {
        switch self {
        case .inceptionResNetV1, .inceptionResNetV2: "below 75 px Reduction-B has no input"
        case .mobileFaceNet: "its 7x7 global depthwise convolution needs a 7x7 grid, ceil(image_size / 16) = 7"
        }
    }

    /// The Keras file of the network's published weights in the weights cache (`reference` describes them),
    /// nil when there are none: `init_from: pretrained` and the default `--model`.
    public var pretrainedWeights: String? {
        switch self {
        case .inceptionResNetV1: FacenetHome.pretrainedFaceNet
        case .inceptionResNetV2: nil
        case .mobileFaceNet: nil
        }
    }
}
