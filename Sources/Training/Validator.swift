import Embedding
import Eval
import Foundation
import Models
import TorchBridge

/// Validation during training: the weight average evaluated on a pairs file with `facenet eval`'s code,
/// writing its report into `run_dir/validation/`.
final class Validator {
    let job: PairsEvaluation
    let model: any FaceEmbeddingModel
    let precision: Precision

    init(
        pairs: String, alignedRoot: String, backbone: Backbone, description: ModelDescription, precision: Precision,
        runDir: String
    ) throws {
        job = PairsEvaluation(alignedRoot: alignedRoot, pairsPath: pairs, outputDirectory: runDir + "/validation")
        model = try backbone.make(description)
        self.precision = precision
    }

    func run(step: Int, weights: [String: Tensor]) throws -> ValidationRecord {
        try model.loadStateDict(weights)
        let outcome = try job.run(embedder: Embedder(model: model, precision: precision), log: { _ in })
        let r = outcome.report
        return ValidationRecord(step: step, accuracy: r.accuracy, accuracyStd: r.accuracyStd, val: r.val, far: r.far, auc: r.auc)
    }
}
