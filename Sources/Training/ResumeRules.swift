import Foundation
import Support

/// What a resumed run may change of the config its checkpoint stores (`config` attribute): the fields below
/// are fixed, each for the reason given; every other field (limits, learning rates, validation, mining rule,
/// batch_size, checkpoint_every, ...) may change, and the changes are listed in one line.
enum ResumeRules {
    static let fixed: [(field: String, why: String)] = [
        // Loading would fail inside libtorch, or load into the wrong places.
        ("backbone", "the weights are this network's"),
        ("optimizer", "the checkpoint holds this optimizer's state"),
        ("head_learning_rate", "it decides the optimizer's parameter groups, which the stored state follows"),
        ("freeze_until", "it decides which weights the optimizer holds, which the stored state follows"),
        ("embedding_size", "the weights have this shape"),
        ("hidden_size", "the weights have this shape"),
        ("channels_last", "the optimizer's stored moments follow the weights' memory layout"),
        ("image_size", "the model was trained at this input size and the batch in progress was mined at it"),
        ("mode", "the batch in progress (its pending triplets) belongs to this mode"),
        // Would still run, but no longer continue the interrupted run exactly (the sampler state and the
        // pending triplets index the outer batches these define; the seed drives every random choice).
        ("people_per_batch", "the stored sampler state draws outer batches of this shape"),
        ("images_per_person", "the stored sampler state draws outer batches of this shape"),
        ("seed", "every random choice of the run (batches, crops, mining) follows it"),
        ("include", "the sampler's identities are this selection of the data"),
        ("exclude", "the sampler's identities are this selection of the data"),
        ("validation_fraction", "the sampler's identities are the rest of the data after this split"),
    ]

    /// Refuses a change of a fixed field, naming each with its stored and new value; returns the line that
    /// lists the changes allowed (nil when nothing changed).
    static func check(stored: TrainingConfig, new: TrainingConfig, checkpoint: String) throws -> String? {
        let before = values(stored)
        let after = values(new)
        let changed = before.keys.sorted().filter { before[$0] != after[$0] }
        let fixedNames = Set(fixed.map(\.field))
        let refused = fixed.filter { changed.contains($0.field) }
        if !refused.isEmpty {
            let lines = refused.map { "  \($0.field): \(before[$0.field]!) in the checkpoint, \(after[$0.field]!) now (\($0.why))" }
            throw UserError(
                "--resume: \(checkpoint) was written with other values of fields a resumed run cannot change:\n"
                    + lines.joined(separator: "\n") + "\nkeep them, or start a new run_dir")
        }
        let allowed = changed.filter { !fixedNames.contains($0) }
        guard !allowed.isEmpty else { return nil }
        return "resume: changed " + allowed.map { "\($0) \(before[$0]!) -> \(after[$0]!)" }.joined(separator: ", ")
    }

    /// Every field (YAML name) as text.
    static func values(_ c: TrainingConfig) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Mirror(reflecting: c).children.compactMap { child in
            child.label.map { (ConfigLoader.snakeCase($0), ConfigLoader.text(of: child.value)) }
        })
    }
}
