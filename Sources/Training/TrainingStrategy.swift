import Dataset

/// How one outer batch becomes optimizer steps (`TrainingMode`); `Trainer.optimizerStep` does each step.
protocol TrainingStrategy {
    /// Trains on outer batch `outer`; false when a stop came before the batch's work began, so it is redone
    /// on resume.
    func train(_ batch: TrainingBatch, outer: Int, trainer: Trainer) throws -> Bool
}

extension TrainingMode {
    var strategy: any TrainingStrategy {
        switch self {
        case .twoPass: TwoPassStrategy()
        case .inBatch: InBatchStrategy()
        }
    }
}
