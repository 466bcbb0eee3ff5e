import Models
import Support

/// Checks that a config's values make sense alone and together; the first problem is a `UserError` naming
/// the field, where its value came from, the allowed range and the default.
enum ConfigValidation {
    /// The most images an outer batch may hold: its squared-distance matrix is n^2 floats (400 MB here).
    static let maxOuterBatch = 10_000
    /// The most bytes the outer batch's float pixels may take (images x 3 x stored_size^2 x 4).
    static let maxOuterBatchBytes = 4 << 30

    static func check(_ c: TrainingConfig, origin: ConfigOrigin) throws {
        func fail(_ field: String, _ message: String) -> UserError { UserError("\(origin.of(field)): field '\(field)' \(message)") }
        func within<N: BinaryInteger>(_ field: String, _ value: N, _ allowed: Allowed) throws {
            try within(field, Double(value), allowed, shown: "\(value)")
        }
        func within(_ field: String, _ value: Double, _ allowed: Allowed, shown: String? = nil) throws {
            guard allowed.contains(value) else {
                throw fail(field, "must be \(allowed) (default \(ConfigLoader.defaultText(field))), got \(shown ?? "\(value)")")
            }
        }
        guard !c.dataDir.isEmpty else { throw fail("data_dir", "must name the folder of aligned faces") }

        // data
        try within("validation_fraction", c.validationFraction, .from(0, below: 1))
        // The sizes the backbone accepts (`Backbone.imageSizes` says why).
        let sizes = c.backbone.imageSizes
        guard sizes.contains(c.imageSize) else {
            throw fail(
                "image_size",
                "must be \(Allowed.between(Double(sizes.lowerBound), Double(sizes.upperBound))) for backbone "
                    + "\(c.backbone.rawValue), \(c.backbone.imageSizeReason) (default \(ConfigLoader.defaultText("image_size"))), "
                    + "got \(c.imageSize) (the reference input is \(c.backbone.reference.inputSize))")
        }
        try within("stored_size", c.storedSize, .between(Double(c.imageSize), 1024))
        try within("brightness", c.brightness, .between(0, 1))
        try within("contrast", c.contrast, .between(0, 1))

        // model
        try within("embedding_size", c.embeddingSize, .between(1, 4096))
        try within("hidden_size", c.hiddenSize, .between(1, 8192))
        try within("dropout", c.dropout, .from(0, below: 1))

        // sampling and mining
        try within("people_per_batch", c.peoplePerBatch, .between(2, 1000))
        try within("images_per_person", c.imagesPerPerson, .between(2, 1000))
        let images = c.peoplePerBatch * c.imagesPerPerson
        guard images <= maxOuterBatch else {
            throw fail("images_per_person", "times people_per_batch is the outer batch: \(c.peoplePerBatch) x \(c.imagesPerPerson) = \(images) images, more than \(maxOuterBatch)")
        }
        let bytes = images * 3 * c.storedSize * c.storedSize * 4
        guard bytes <= maxOuterBatchBytes else {
            throw fail("stored_size", "\(c.storedSize) makes the outer batch of \(images) images take \(bytes >> 20) MB, more than \(maxOuterBatchBytes >> 20) MB: lower stored_size or the batch")
        }
        try within("batch_size", c.batchSize, .between(1, 1500))
        if c.mode == .twoPass {
            guard c.batchSize % 3 == 0 else {
                throw fail("batch_size", "must be a positive multiple of 3 in two-pass mode (anchor, positive, negative), got \(c.batchSize)")
            }
        }
        // Squared distances between unit vectors are at most 4, so a larger margin makes every triplet active.
        try within("margin", c.margin, .above(0, upTo: 4))
        try within("max_triplets", c.maxTriplets, .between(1, 100_000_000))
        let bound = TrainingSetup.miner(c).tripletBound(images: images, perClass: c.imagesPerPerson)
        guard bound <= c.maxTriplets else {
            throw fail(
                "max_triplets",
                "is \(c.maxTriplets), but miner '\(c.miner.rawValue)' with policy '\(c.policy.rawValue)' may find up to \(bound) triplets "
                    + "in an outer batch of people_per_batch x images_per_person = \(images) images: lower those, "
                    + "choose policy random, or raise max_triplets")
        }

        // optimisation
        try within("learning_rate", c.learningRate, .above(0))
        if let head = c.headLearningRate { try within("head_learning_rate", head, .above(0)) }
        try within("lr_decay_epochs", c.lrDecayEpochs, .atLeast(1))
        try within("lr_decay_factor", c.lrDecayFactor, .above(0))
        if c.lrSchedule == .file && c.lrScheduleFile == nil {
            throw fail("lr_schedule_file", "must be given when lr_schedule is 'file'")
        }
        try within("weight_decay", c.weightDecay, .atLeast(0))
        try within("ema_decay", c.emaDecay, .from(0, below: 1))
        try within("grad_clip", c.gradClip, .atLeast(0))

        // run
        try within("epoch_size", c.epochSize, .atLeast(1))
        try within("max_epochs", c.maxEpochs, .atLeast(0))
        try within("max_steps", c.maxSteps, .atLeast(0))
        try within("max_minutes", c.maxMinutes, .atLeast(0))
        try within("checkpoint_every", c.checkpointEvery, .atLeast(1))
        try within("validate_every", c.validateEvery, .atLeast(0))
        try within("nan_limit", c.nanLimit, .atLeast(0))
        if let threads = c.threads { try within("threads", threads, .between(1, 1024)) }
        try within("profile_batches", c.profileBatches, .atLeast(0))
        if (c.validationPairs == nil) != (c.validationDir == nil) {
            throw fail("validation_pairs", "and validation_dir go together")
        }
    }

    /// A numeric field's allowed values, written as the message shows them.
    enum Allowed: CustomStringConvertible {
        case atLeast(Double)
        /// (low, high]; high nil: no upper end.
        case above(Double, upTo: Double? = nil)
        /// [low, high]
        case between(Double, Double)
        /// [low, high)
        case from(Double, below: Double)

        func contains(_ x: Double) -> Bool {
            switch self {
            case .atLeast(let low): x >= low
            case .above(let low, let high): x > low && x <= (high ?? .infinity)
            case .between(let low, let high): x >= low && x <= high
            case .from(let low, let high): x >= low && x < high
            }
        }

        var description: String {
            func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? "\(Int(x))" : "\(x)" }
            return switch self {
            case .atLeast(let low): "at least \(n(low))"
            case .above(let low, nil): "greater than \(n(low))"
            case .above(let low, let high?): "in (\(n(low)), \(n(high))]"
            case .between(let low, let high): "in [\(n(low)), \(n(high))]"
            case .from(let low, let high): "in [\(n(low)), \(n(high)))"
            }
        }
    }
}
