import Foundation
import HDF5
import Models
import Support
import TorchBridge

/// A training checkpoint as a model to evaluate or export: the network from its `backbone` attribute, the
/// input size and embedding size from the config stored in it, the weights from its moving average when it has one.
public enum CheckpointModel {
    /// Loads `path`; a checkpoint whose weights do not fit the architecture (a layer missing, a wrong
    /// shape) is refused with the first few problems named.
    public static func load(path: String) throws -> any FaceEmbeddingModel {
        guard FileManager.default.fileExists(atPath: path) else { throw UserError("\(path): no such file") }
        let checkpoint = try Checkpoint.read(from: path)
        var config: TrainingConfig
        do {
            config = try ConfigLoader.decodeStored(Data(checkpoint.config.utf8))
        } catch {
            throw UserError("\(path): the training config stored in the checkpoint cannot be read (\(error))")
        }
        config.backbone = checkpoint.backbone
        var description = TrainingSetup.description(config)
        description.name += "-step\(checkpoint.step)"
        let model = try checkpoint.backbone.make(description)
        let weights = checkpoint.evaluationWeights
        let expected = model.stateDict.map(\.0)
        let missing = expected.filter { weights[$0] == nil }
        if let damaged = try weights.keys.sorted().first(where: { try !weights[$0]!.floats().allSatisfy(\.isFinite) }) {
            throw UserError("\(path): weight '\(damaged)' holds NaN or infinite values: the checkpoint is damaged")
        }
        if !missing.isEmpty {
            let shown = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", ..." : "")
            throw UserError("\(path): \(missing.count) weight(s) missing from the checkpoint: \(shown)")
        }
        do {
            try model.loadStateDict(weights)
        } catch {
            throw UserError("\(path): \(error)")
        }
        model.eval()
        return model
    }

    /// True when `path` looks like a training checkpoint (an HDF5 file with a `model` group) rather than
    /// a Keras .h5 model.
    public static func isCheckpoint(path: String) -> Bool {
        guard let file = try? HDF5File(readingFrom: path) else { return false }
        return file.exists("model") && !file.exists("model_weights")
    }
}
