import ArgumentParser
import Embedding
import Models
import Support
import Training

extension Backbone: ExpressibleByArgument {}

/// Which model to load: the pretrained FaceNet by default, a Keras .h5 file of a backbone's weights, or a
/// `facenet train` checkpoint (its weight average when it has one; it records its own backbone).
struct ModelOptions: ParsableArguments {
    @Option(
        help: """
            Model weights: a Keras .h5 FaceNet file or a facenet train checkpoint.h5 (default: the pretrained \
            20170512-110547 in the weights cache).
            """)
    var model: String?

    @Option(
        help: """
            The network of a Keras .h5 --model (default: \(Backbone.inceptionResNetV1.rawValue); a checkpoint \
            records its own).
            """)
    var backbone: Backbone?

    var network: Backbone { backbone ?? .inceptionResNetV1 }

    /// The weights file that will be read, as an input for `OutputCheck`.
    var input: NamedPath { NamedPath("--model", model ?? network.pretrainedWeights ?? "") }

    func load() throws -> any FaceEmbeddingModel {
        let path = input.path
        if CheckpointModel.isCheckpoint(path: path) {
            let loaded = try CheckpointModel.load(path: path)
            if let backbone, backbone != loaded.backbone {
                throw UserError("--backbone \(backbone.rawValue): \(path) is a checkpoint of \(loaded.backbone.rawValue)")
            }
            return loaded
        }
        guard !path.isEmpty else { throw UserError("--backbone \(network.rawValue) has no pretrained weights: give --model") }
        return try KerasImport.loaded(network.make(network.reference), from: path)
    }

    /// The model in evaluation mode in `precision`, checking that its embeddings are finite.
    func embedder(_ precision: PrecisionOption) throws -> Embedder {
        try Embedder(model: load(), source: input.path, precision: try precision.chosen(), fixedWeights: true)
    }
}
