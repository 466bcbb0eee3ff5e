import Support

/// The config's fields with a fixed set of values (`Choice`: the YAML text is the raw value). The
/// miner's policy and the loss's reduction are `TripletMining`'s own `SelectionPolicy` and `Reduction`.

/// How an outer batch becomes optimizer steps.
public enum TrainingMode: String, Choice {
    /// davidsandberg/facenet's: embed the outer batch without gradients, mine, then train on the triplets
    /// `batch_size / 3` at a time.
    case twoPass = "two-pass"
    /// One forward pass with gradients over the whole outer batch, mining inside it.
    case inBatch = "in-batch"
}

/// What BatchNorm does while training.
public enum BatchNormMode: String, Choice {
    /// Batch statistics; the running averages are updated.
    case train
    /// Running statistics (evaluation mode).
    case frozen
}

/// Which triplets a batch gives: a `TripletRule` for a `RuleMiner`, or the batch-hard miner.
public enum MinerKind: String, Choice {
    case margin, semihard, hard
    case batchHard = "batch-hard"
}

/// The optimizer, with davidsandberg/facenet's hyper-parameters (`TrainingSetup.optimizer`).
public enum OptimizerKind: String, Choice {
    case adagrad, adadelta, adam, rmsprop, sgd
}

/// The learning-rate schedule (`LearningRateSchedule`).
public enum ScheduleKind: String, Choice {
    case constant, step, cosine, file
}
