import Models
import Support

/// One line of meaning per config field, for `facenet train --help`: the defaults come from
/// `TrainingConfig()` itself, so the table cannot disagree with the code (a test checks that every field
/// has a line and every line a field). The allowed ranges are `ConfigValidation`'s, a `Choice`'s values its type's.
public enum ConfigHelp {
    public static let meanings: [String: String] = [
        "data_dir": "folder of aligned faces, <identity>/<image> (required)",
        "include": "identity list file (`name` or `name<TAB>count` lines) to keep",
        "exclude": "identity list file to leave out",
        "validation_fraction": "fraction of identities held out for validation, in [0, 1)",
        "stored_size": "side of the crops on disk; training crops image_size from it",
        "image_size": "input side: " + Backbone.allCases.map {
            "\($0.imageSizes.lowerBound) to \($0.imageSizes.upperBound) (\($0.rawValue))"
        }.joined(separator: ", "),
        "random_crop": "crop image_size at a random place (else the centre)",
        "random_flip": "flip half the images left-right",
        "brightness": "largest relative brightness change, in [0, 1] (0: off)",
        "contrast": "largest relative contrast change, in [0, 1] (0: off)",
        "backbone": "the network the model is built from",
        "init_from": "pretrained, scratch, or a checkpoint path",
        "embedding_size": "length of the embedding (128 for pretrained)",
        "hidden_size": "units of the dense layer before the embedding (inception-resnet-v2 only)",
        "dropout": "dropout before the bottleneck, in [0, 1)",
        "freeze_until": "freeze the model's parts up to and including this one (e.g. mixed_6a)",
        "batch_norm": "what BatchNorm does: train (batch statistics) or frozen (running statistics)",
        "people_per_batch": "identities per outer batch, 2 to 1000",
        "images_per_person": "images per identity in an outer batch, 2 to 1000 (outer batch at most 10,000)",
        "mode": "two-pass (embed, mine, train on triplets) or in-batch (one pass with gradients)",
        "batch_size": "faces per forward pass, a multiple of 3 in two-pass mode",
        "miner": "the triplet rule, or batch-hard",
        "policy": "which qualifying negatives a pair keeps: random (one), all, or hardest",
        "margin": "triplet margin alpha, in (0, 4]",
        "max_triplets": "most triplets an outer batch may give (its bound is checked at start)",
        "reduction": "mean over all triplets, or over those with positive loss",
        "optimizer": "the optimizer (sgd: Nesterov momentum 0.9)",
        "learning_rate": "learning rate, greater than 0",
        "head_learning_rate": "learning rate of the model's head (none: learning_rate)",
        "lr_schedule": "the learning-rate schedule",
        "lr_decay_epochs": "step schedule: epochs between decays",
        "lr_decay_factor": "step schedule: factor per decay, greater than 0",
        "lr_schedule_file": "file schedule: `epoch: lr` lines",
        "weight_decay": "L2 regularisation of the weights",
        "ema_decay": "moving average of the weights, in [0, 1)",
        "grad_clip": "clip the gradient norm to this (0: off)",
        "epoch_size": "outer batches per epoch",
        "max_epochs": "stop after this many epochs (0: no limit)",
        "max_steps": "stop after this many optimizer steps (0: no limit)",
        "max_minutes": "stop after this many minutes (0: no limit)",
        "run_dir": "folder of the run's checkpoint, metrics and curves (not inside data_dir)",
        "checkpoint_every": "steps between checkpoints",
        "validate_every": "steps between validations (0: only at the start and the end)",
        "validation_pairs": "pairs file for validation during training",
        "validation_dir": "aligned folder the validation pairs name",
        "seed": "seed of every random choice",
        "nan_limit": "non-finite losses tolerated (each restores the last checkpoint)",
        "threads": "libtorch threads (none: the core count)",
        "channels_last": "NHWC memory for weights and batches (faster CPU convolutions)",
        "precision": "arithmetic of the passes (none: $FACENET_PRECISION, else bf16 where it is faster)",
        "profile_batches": "profile libtorch's operators over this many outer batches (0: off)",
    ]

    /// Two lines per field, in the order of `TrainingConfig`: `name: default`, then the meaning indented
    /// (short enough for an 80-column help screen, which would wrap a one-line table); a `Choice` field's
    /// allowed values follow, read from its type, when there is more than the default.
    public static func table() -> String {
        Mirror(reflecting: TrainingConfig()).children.compactMap { child in
            guard let label = child.label else { return nil }
            let name = ConfigLoader.snakeCase(label)
            let allowed = (child.value as? any Choice).flatMap { value in
                let text = type(of: value).allowedText
                return text == value.rawValue ? nil : "\n    values: " + text  // the only value is the default
            } ?? (type(of: child.value) as? any OptionalChoice.Type).map { "\n    values: " + $0.wrappedAllowedText } ?? ""
            return "\(name): \(ConfigLoader.defaultText(name))\n    \(meanings[name] ?? "")" + allowed
        }.joined(separator: "\n")
    }
}

/// An optional `Choice` field (`precision: Precision?`), whose allowed values help reads from the wrapped type.
protocol OptionalChoice {
    static var wrappedAllowedText: String { get }
}

extension Optional: OptionalChoice where Wrapped: Choice {
    static var wrappedAllowedText: String { Wrapped.allowedText }
}
