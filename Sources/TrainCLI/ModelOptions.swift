import ArgumentParser
import Embedding
import Models
import Support
import Training

/// Which model to load: the pretrained FaceNet by default, a Keras .h5 file of the same architecture, or a
/// `facenet train` checkpoint (its weight average when it has one).
struct ModelOptions: ParsableArguments {
    @Option(
        help: """
            Model weights: a Keras .h5 FaceNet file or a facenet train checkpoint.h5 (default: the pretrained \
            20170512-110547 in the weights cache).
            """)
    var model: String?

    /// The weights file that will be read, as an input for `OutputCheck`.
    var input: NamedPath { NamedPath("--model", model ?? FacenetHome.pretrainedFaceNet) }

    func load() throws -> InceptionResNetV1 {
        let path = input.path
        if CheckpointModel.isCheckpoint(path: path) { return try CheckpointModel.load(path: path) }
        return try InceptionResNetV1.pretrained(path: path)
    }

    /// The model in evaluation mode, checking that its embeddings are finite.
    func embedder() throws -> Embedder { try Embedder(model: load(), source: input.path) }
}
