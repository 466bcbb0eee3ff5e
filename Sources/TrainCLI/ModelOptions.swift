import ArgumentParser
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

    func load() throws -> InceptionResNetV1 {
        let path = model ?? FacenetHome.pretrainedFaceNet
        if CheckpointModel.isCheckpoint(path: path) { return try CheckpointModel.load(path: path) }
        return try InceptionResNetV1.pretrained(path: path)
    }
}
