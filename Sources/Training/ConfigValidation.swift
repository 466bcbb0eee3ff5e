import Support

/// Checks that a config's values make sense together; the first problem is a `UserError` naming the field.
enum ConfigValidation {
    static func check(_ c: TrainingConfig, source: String) throws {
        func fail(_ field: String, _ message: String) -> UserError { UserError("\(source): field '\(field)' \(message)") }
        func oneOf(_ field: String, _ value: String, _ allowed: [String]) throws {
            guard allowed.contains(value) else {
                throw fail(field, "must be one of \(allowed.joined(separator: ", ")), got '\(value)'")
            }
        }
        guard !c.dataDir.isEmpty else { throw fail("data_dir", "must name the folder of aligned faces") }
        guard c.margin > 0 else { throw fail("margin", "must be positive, got \(c.margin)") }
        guard c.peoplePerBatch >= 2 else { throw fail("people_per_batch", "must be at least 2, got \(c.peoplePerBatch)") }
        guard c.imagesPerPerson >= 2 else { throw fail("images_per_person", "must be at least 2, got \(c.imagesPerPerson)") }
        try oneOf("mode", c.mode, ["two-pass", "in-batch"])
        if c.mode == "two-pass" {
            guard c.batchSize > 0, c.batchSize % 3 == 0 else {
                throw fail("batch_size", "must be a positive multiple of 3 in two-pass mode (anchor, positive, negative), got \(c.batchSize)")
            }
        }
        try oneOf("miner", c.miner, ["margin", "semihard", "hard", "batch-hard"])
        try oneOf("policy", c.policy, ["random", "all", "hardest"])
        try oneOf("reduction", c.reduction, ["mean", "mean-nonzero"])
        try oneOf("optimizer", c.optimizer, ["adagrad", "adadelta", "adam", "rmsprop", "sgd"])
        try oneOf("lr_schedule", c.lrSchedule, ["constant", "step", "cosine", "file"])
        try oneOf("batch_norm", c.batchNorm, ["train", "frozen"])
        if c.lrSchedule == "file" && c.lrScheduleFile == nil {
            throw fail("lr_schedule_file", "must be given when lr_schedule is 'file'")
        }
        guard c.learningRate > 0 else { throw fail("learning_rate", "must be positive, got \(c.learningRate)") }
        guard c.weightDecay >= 0 else { throw fail("weight_decay", "must not be negative, got \(c.weightDecay)") }
        guard (0..<1).contains(c.emaDecay) else { throw fail("ema_decay", "must be in [0, 1), got \(c.emaDecay)") }
        guard (0..<1).contains(c.dropout) else { throw fail("dropout", "must be in [0, 1), got \(c.dropout)") }
        // Three stride-2 reductions after the stem leave a 1x1 grid at 75 px; below that Reduction-B has no input.
        guard c.imageSize >= 75 else { throw fail("image_size", "must be at least 75 (InceptionResNetV1's smallest input), got \(c.imageSize)") }
        guard c.storedSize >= c.imageSize else {
            throw fail("stored_size", "must be at least image_size (\(c.imageSize)), got \(c.storedSize)")
        }
        guard c.epochSize > 0 else { throw fail("epoch_size", "must be positive, got \(c.epochSize)") }
        guard c.checkpointEvery > 0 else { throw fail("checkpoint_every", "must be positive, got \(c.checkpointEvery)") }
        guard c.profileBatches >= 0 else { throw fail("profile_batches", "must not be negative, got \(c.profileBatches)") }
        guard c.embeddingSize > 0 else { throw fail("embedding_size", "must be positive, got \(c.embeddingSize)") }
        if (c.validationPairs == nil) != (c.validationDir == nil) {
            throw fail("validation_pairs", "and validation_dir go together")
        }
    }
}
