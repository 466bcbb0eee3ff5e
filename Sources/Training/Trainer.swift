import Dataset
import Foundation
import Models
import Support
import TorchBridge
import TripletMining

/// The training loop: identity-balanced outer batches, online triplet mining, optimizer steps, the weight
/// average, checkpoints, validation and metrics. Everything random is a pure function of (seed, step or
/// outer batch), so a run resumed from a checkpoint continues exactly as the uninterrupted one.
public final class Trainer {
    public let config: TrainingConfig
    public let model: InceptionResNetV1
    public let dataset: FaceDataset
    let optimizer: TrainingOptimizer
    let ema: WeightAverage
    let miner: any TripletMiner
    let loss: TripletLoss
    let schedule: LearningRateSchedule
    let maker: BatchMaker
    var sampler: IdentityBalancedSampler
    /// Decodes and augments the next outer batch on a background thread while the network trains on
    /// this one; replaced when the trainer jumps to another batch (resume, restore after a NaN).
    var loader: BatchLoader?
    let log: MetricsLog
    let validator: Validator?
    let say: (String) -> Void

    /// Optimizer steps done.
    public private(set) var step = 0
    /// The outer batch in progress with its mined triplets and how many are done (two-pass mode).
    var pending: (outer: Int, triplets: [Triplet], position: Int)?
    var nanCount = 0
    lazy var profiler = StepProfiler(batches: config.profileBatches, path: config.runDir + "/profile.txt", say: say)
    let started = Date()
    var lastProgress = Date.distantPast

    public var checkpointPath: String { RunFolder.checkpoint(config) }

    /// Builds everything and checks the data before any work starts; `start` says what to do with an
    /// existing `run_dir/checkpoint.h5` (`RunFolder`).
    public init(config: TrainingConfig, source: String, start: RunStart, say: @escaping (String) -> Void = { print($0) })
        throws
    {
        try RunFolder.check(config, start: start)
        if start == .resume {
            let path = RunFolder.checkpoint(config)
            let stored = try Checkpoint.storedConfig(at: path)
            if let changes = try ResumeRules.check(stored: stored, new: config, checkpoint: path) { say(changes) }
        }
        self.config = config
        self.say = say
        let prepared = try TrainingData.prepare(config, source: source, say: say)
        dataset = prepared
        try TrainingData.checkBatchShape(config, dataset: prepared)
        try Torch.manualSeed(config.seed)  // initial weights of a model trained from scratch
        model = try TrainingSetup.model(config, source: source)
        if config.channelsLast { try model.toChannelsLast() }  // before the optimizer and average see the weights
        try TrainingSetup.freeze(model, until: config.freezeUntil, source: source)
        optimizer = try TrainingSetup.optimizer(config, model: model)
        ema = try WeightAverage(model: model, decay: config.emaDecay)
        miner = TrainingSetup.miner(config)
        loss = TripletLoss(margin: config.margin, reduction: config.reduction == "mean-nonzero" ? .meanOfNonZero : .mean)
        schedule = try TrainingSetup.schedule(config)
        sampler = try IdentityBalancedSampler(
            dataset: prepared, peoplePerBatch: config.peoplePerBatch, imagesPerPerson: config.imagesPerPerson,
            seed: config.seed)
        maker = BatchMaker(
            dataset: prepared, model: model.description,
            augmentation: Augmentation(
                randomCrop: config.randomCrop, randomFlip: config.randomFlip, brightness: config.brightness,
                contrast: config.contrast), seed: config.seed)
        let description = model.description
        validator = try config.validationPairs.map {
            try Validator(pairs: $0, alignedRoot: config.validationDir!, description: description, runDir: config.runDir)
        }
        try RunFolder.prepare(config, start: start, say: say)
        let checkpointFile = RunFolder.checkpoint(config)
        let resumedStep = start == .resume ? try Checkpoint.step(at: checkpointFile) : nil
        log = try MetricsLog(directory: config.runDir, resumedAt: resumedStep)
        if start == .resume {
            try restore(from: checkpointFile)
            say("resumed from \(checkpointFile) at step \(step), outer batch \(pending?.outer ?? sampler.state.nextBatch)")
        }
        try writeConfig()
    }

    // MARK: the loop

    /// Trains until a limit (steps, epochs, minutes) or a stop signal; writes a checkpoint at the end.
    public func run() throws {
        model.train()
        if config.batchNorm == "frozen" {
            for case let bn as BatchNorm2d in model.namedModules.map(\.1) { bn.eval() }
        }
        if !FileManager.default.fileExists(atPath: checkpointPath) {
            // The first "last good checkpoint", which a NaN at the very start restores.
            try saveCheckpoint()
            if let validator { try validate(validator) }  // the starting point of the curve
        }
        while !finished {
            let outer = pending?.outer ?? sampler.state.nextBatch
            let batch = try loadBatch(at: outer)
            for failure in batch.failures { say("skipped image \(failure)") }
            var abandoned = false
            try profiler.around {
                if config.mode == "in-batch" {
                    try trainInBatch(batch, outer: outer)
                } else {
                    abandoned = try !trainTwoPass(batch, outer: outer)
                }
            }
            // An outer batch a signal interrupted before its triplets existed is redone on resume.
            if pending == nil && !abandoned { sampler.seek(to: outer + 1) }
        }
        loader?.cancel()
        try profiler.finish()
        try saveCheckpoint()
        if let validator, log.lastValidation?.step != step { try validate(validator) }
        try log.drawCurves()
        say("stopped at step \(step)\(StopSignal.signal != nil ? " (signal)" : ""); checkpoint \(checkpointPath)")
    }

    var epoch: Int { step / config.epochSize }

    /// Images in the memory layout the weights use.
    func layout(_ images: Tensor) throws -> Tensor { config.channelsLast ? try images.channelsLast() : images }

    /// Outer batch `outer`, from the background loader (the same tensors `maker.make` gives in sequence).
    func loadBatch(at outer: Int) throws -> TrainingBatch {
        if loader?.sampler.nextBatch != outer {
            loader?.cancel()
            var start = sampler
            start.seek(to: outer)
            loader = BatchLoader(sampler: start, maker: maker, batches: Int(Int32.max), depth: 1)
        }
        guard let batch = try loader?.nextBatch() else { throw UserError("the batch loader stopped early") }
        return batch
    }

    var finished: Bool {
        if StopSignal.requested { return true }
        if config.maxSteps > 0 && step >= config.maxSteps { return true }
        if config.maxEpochs > 0 && epoch >= config.maxEpochs { return true }
        if config.maxMinutes > 0 && Date().timeIntervalSince(started) >= config.maxMinutes * 60 { return true }
        return false
    }

    /// The reference's two passes: embed the outer batch without gradients, mine, then train on the
    /// triplets `batch_size / 3` at a time, one optimizer step each. False when a stop signal came before the
    /// triplets were mined (checked between embedding chunks and, inside the miner, between anchors, so a
    /// signal acts within a chunk's time even for the largest outer batch).
    func trainTwoPass(_ batch: TrainingBatch, outer: Int) throws -> Bool {
        if pending == nil {
            var parts: [Tensor] = []
            for range in chunks(batch.count, config.batchSize) {
                if StopSignal.requested { return false }
                parts.append(try withNoGrad { try model.withFrozenRunningStatistics { try model(layout(batch.images.narrowed(dim: 0, range))) } })
            }
            let embeddings = try Tensor.cat(parts, dim: 0)
            var generator = SplitMix64(seed: config.seed ^ (UInt64(outer) &* 0x9E37_79B9_7F4A_7C15))
            var triplets = miner.mine(try DistanceMatrix(embeddings: embeddings), labels: batch.labels, generator: &generator)
            if StopSignal.requested { return false }  // the miner may have stopped part-way
            triplets.shuffle(using: &generator)
            say("outer batch \(outer): \(batch.count) images of \(batch.classes.count) people, \(triplets.count) triplets")
            pending = (outer, triplets, 0)
        }
        let perStep = config.batchSize / 3
        while let current = pending, current.position < current.triplets.count, !finished {
            let chosen = Array(current.triplets[current.position..<min(current.triplets.count, current.position + perStep)])
            // Rows a0, p0, n0, a1, p1, n1, ... of the outer batch.
            let rows = chosen.flatMap { [$0.anchor, $0.positive, $0.negative] }
            let local = (0..<chosen.count).map { Triplet(anchor: 3 * $0, positive: 3 * $0 + 1, negative: 3 * $0 + 2) }
            let ok = try optimizerStep(images: batch.images.indexSelect(dim: 0, rows), triplets: local, outer: outer)
            if !ok { return true }
            pending?.position += chosen.count
            if pending!.position >= pending!.triplets.count { pending = nil }
            try afterStep()
        }
        return true
    }

    /// One forward pass with gradients over the whole outer batch, mining inside it.
    func trainInBatch(_ batch: TrainingBatch, outer: Int) throws {
        try Torch.manualSeed(config.seed &+ UInt64(step))
        let clock = Date()
        let embeddings = try model(layout(batch.images))
        var generator = SplitMix64(seed: config.seed ^ (UInt64(outer) &* 0x9E37_79B9_7F4A_7C15))
        let triplets = miner.mine(
            try DistanceMatrix(embeddings: embeddings.detached()), labels: batch.labels, generator: &generator)
        guard try finishStep(embeddings: embeddings, triplets: triplets, images: batch.count, outer: outer, since: clock)
        else { return }
        try afterStep()
    }

    /// Forward, loss, backward and update on the given images; false when the loss was not finite.
    func optimizerStep(images: Tensor, triplets: [Triplet], outer: Int) throws -> Bool {
        try Torch.manualSeed(config.seed &+ UInt64(step))  // dropout draws depend on the step only
        let clock = Date()
        let embeddings = try model(layout(images))
        return try finishStep(embeddings: embeddings, triplets: triplets, images: images.shape[0], outer: outer, since: clock)
    }

    /// Loss, backward, update and bookkeeping; `clock` is when the step's forward pass started (for img/s).
    func finishStep(embeddings: Tensor, triplets: [Triplet], images: Int, outer: Int, since clock: Date) throws -> Bool {
        guard let lr = schedule.rate(epoch: epoch, step: step) else {
            say("the learning-rate schedule ends at epoch \(epoch)")
            StopSignal.request()
            return false
        }
        try optimizer.setLearningRate(lr, group: 0)
        if optimizer.groupCount > 1, let head = config.headLearningRate { try optimizer.setLearningRate(head, group: 1) }
        guard !triplets.isEmpty else { return true }
        try optimizer.zeroGrad()
        let (value, stats) = try loss(embeddings: embeddings, triplets: triplets)
        let lossValue = try value.item()
        guard lossValue.isFinite else {
            try recoverFromNonFinite(lossValue)
            return false
        }
        try value.backward()
        if config.gradClip > 0 {
            try Optimizer.clipGradients(model.parameters.filter(\.requiresGrad), maxNorm: config.gradClip)
        }
        try optimizer.step()
        try ema.update(from: model, step: step)
        step += 1
        let seconds = Date().timeIntervalSince(clock)
        try log.record(
            StepRecord(
                step: step, epoch: epoch, outerBatch: outer, loss: lossValue, triplets: stats.count,
                activeFraction: stats.activeFraction, meanAP: stats.meanAP, meanAN: stats.meanAN, learningRate: lr,
                imagesPerSecond: Double(images) / max(seconds, 1e-9), elapsedSeconds: Date().timeIntervalSince(started)))
        progress(lossValue, stats)
        return true
    }

    func afterStep() throws {
        if step % config.checkpointEvery == 0 { try saveCheckpoint() }
        if let validator, config.validateEvery > 0, step % config.validateEvery == 0 { try validate(validator) }
    }

    /// A NaN or Inf loss: report it, restore the last good checkpoint and move on to the next outer batch;
    /// give up after `nan_limit` times.
    func recoverFromNonFinite(_ value: Double) throws {
        nanCount += 1
        say("step \(step + 1): the loss is \(value); restoring the last good checkpoint (\(nanCount) of \(config.nanLimit) allowed)")
        guard nanCount <= config.nanLimit else {
            throw UserError("the loss was not finite \(nanCount) times (nan_limit \(config.nanLimit)); stopping. Lower learning_rate?")
        }
        let skipped = pending?.outer ?? sampler.state.nextBatch
        if FileManager.default.fileExists(atPath: checkpointPath) { try restore(from: checkpointPath) }
        pending = nil
        sampler.seek(to: skipped + 1)
    }

    // MARK: reporting

    func progress(_ loss: Double, _ stats: TripletStats) {
        let now = Date()
        guard now.timeIntervalSince(lastProgress) >= 5 else { return }
        lastProgress = now
        let elapsed = now.timeIntervalSince(started)
        var eta = ""
        if config.maxMinutes > 0 {
            eta = Progress.clock(max(0, config.maxMinutes * 60 - elapsed))
        } else if config.maxSteps > 0, let first = log.stepRecords.first {
            let rate = Double(step - first.step + 1) / max(elapsed, 1)
            eta = Progress.clock(Double(config.maxSteps - step) / max(rate, 1e-9))
        }
        let rate = log.stepRecords.suffix(20).map(\.imagesPerSecond).reduce(0, +) / Double(max(1, min(20, log.stepRecords.count)))
        say(
            String(
                format: "step %d  epoch %d  loss %.4f  triplets %d  active %.2f  d(a,p) %.3f  d(a,n) %.3f  %.1f img/s  elapsed %@%@",
                step, epoch, loss, stats.count, stats.activeFraction, stats.meanAP, stats.meanAN, rate,
                Progress.clock(elapsed), eta.isEmpty ? "" : "  ETA " + eta))
    }

    func validate(_ validator: Validator) throws {
        let record = try validator.run(step: step, weights: ema.stateDict)
        try log.record(record)
        say(String(format: "validation at step %d: accuracy %.4f ± %.4f  VAL %.4f @ FAR %.4f", step, record.accuracy,
                   record.accuracyStd, record.val, record.far))
    }

    // MARK: checkpoints

    func saveCheckpoint() throws {
        var checkpoint = Checkpoint(
            step: step, epoch: epoch, model: model.stateDict, ema: Array(zip(ema.names, ema.shadows)),
            optimizerState: try optimizer.stateBytes(),
            samplerState: String(decoding: try JSONEncoder().encode(sampler.state), as: UTF8.self),
            config: String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
        if let pending {
            checkpoint.outerBatch = pending.outer
            checkpoint.pendingTriplets = pending.triplets.flatMap { [Int64($0.anchor), Int64($0.positive), Int64($0.negative)] }
            checkpoint.pendingPosition = pending.position
        } else {
            checkpoint.outerBatch = sampler.state.nextBatch
        }
        try checkpoint.write(to: checkpointPath)
    }

    func restore(from path: String) throws {
        let checkpoint = try Checkpoint.read(from: path)
        try model.loadStateDict(Dictionary(uniqueKeysWithValues: checkpoint.model))
        try ema.load(Dictionary(uniqueKeysWithValues: checkpoint.ema))
        try optimizer.loadState(checkpoint.optimizerState)
        let state = try JSONDecoder().decode(SamplerState.self, from: Data(checkpoint.samplerState.utf8))
        sampler = try IdentityBalancedSampler(classSizes: dataset.classSizes, resuming: state)
        step = checkpoint.step
        let t = checkpoint.pendingTriplets
        pending =
            t.isEmpty
            ? nil
            : (
                checkpoint.outerBatch,
                stride(from: 0, to: t.count, by: 3).map { Triplet(anchor: Int(t[$0]), positive: Int(t[$0 + 1]), negative: Int(t[$0 + 2])) },
                checkpoint.pendingPosition
            )
    }

    func writeConfig() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(config), to: config.runDir + "/config.json")
    }
}

/// Ranges of at most `size` covering 0..<count.
func chunks(_ count: Int, _ size: Int) -> [Range<Int>] {
    stride(from: 0, to: count, by: max(size, 1)).map { $0..<min(count, $0 + max(size, 1)) }
}
