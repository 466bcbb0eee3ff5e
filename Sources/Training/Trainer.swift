import Dataset
import Foundation
import Models
import Support
import TorchBridge
import TripletMining

/// The training loop: identity-balanced outer batches, a `TrainingStrategy` per mode that mines and calls
/// `optimizerStep`, the weight average, checkpoints (`CheckpointStore`), validation and metrics
/// (`ProgressReporter`). Everything random is a pure function of (seed, step or outer batch), so a run
/// resumed from a checkpoint continues exactly as the uninterrupted one.
///
/// With several ranks (`collective`), every rank draws the same outer batches and mines the same triplets;
/// each embeds and back-propagates its share of a step's rows, and the gradients are averaged over the
/// ranks before every rank takes the same optimizer step. Rank 0 alone writes the run folder.
public final class Trainer {
    public let config: TrainingConfig
    public let model: any FaceEmbeddingModel
    public let dataset: FaceDataset
    /// The arithmetic of forward and backward passes (`precision`, or the CPU's default); weights, optimizer
    /// state and losses are float32 in either.
    public let precision: Precision
    let collective: any Collective
    let optimizer: TrainingOptimizer
    let reducer: any GradientReducer
    let ema: WeightAverage
    let miner: any TripletMiner
    let loss: TripletLoss
    let schedule: LearningRateSchedule
    let maker: BatchMaker
    let strategy: any TrainingStrategy
    let store: CheckpointStore
    /// Decodes and augments the next outer batch on a background thread while the network trains on
    /// this one; replaced when the trainer jumps to another batch (resume, restore after a NaN).
    var loader: BatchLoader?
    /// Rank 0's: the metrics files and curves (nil on the other ranks).
    let log: MetricsLog?
    let validator: Validator?
    let reporter: ProgressReporter
    let say: (String) -> Void

    var state: TrainingState
    /// Optimizer steps done.
    public var step: Int { state.step }
    var nanCount = 0
    lazy var profiler = StepProfiler(batches: config.profileBatches, path: config.runDir + "/profile.txt", say: say)
    let started = Date()

    public var checkpointPath: String { store.path }
    var isRoot: Bool { collective.rank == 0 }

    /// Builds everything and checks the data before any work starts; `start` says what to do with an
    /// existing `run_dir/checkpoint.h5` (`RunFolder`).
    public init(
        config: TrainingConfig, source: String, start: RunStart, collective: any Collective = SingleProcess(),
        say: @escaping (String) -> Void = { print($0) }
    ) throws {
        try RunFolder.check(config, start: start)
        if start == .resume {
            let path = RunFolder.checkpoint(config)
            let stored = try Checkpoint.storedConfig(at: path)
            if let changes = try ResumeRules.check(stored: stored, new: config, checkpoint: path) { say(changes) }
        }
        self.config = config
        self.collective = collective
        self.say = say
        let (precision, note) = try Precision.choose(config.precision)
        self.precision = precision
        if collective.rank == 0 { say(note) }
        let prepared = try TrainingData.prepare(config, source: source, say: say)
        dataset = prepared
        try TrainingData.checkBatchShape(config, dataset: prepared)
        try Torch.manualSeed(config.seed)  // initial weights of a model trained from scratch
        model = try TrainingSetup.model(config, source: source)
        if config.channelsLast { try model.toChannelsLast() }  // before the optimizer and average see the weights
        try TrainingSetup.freeze(model, until: config.freezeUntil, source: source)
        // DDP's start: every rank begins from rank 0's parameters and buffers.
        try collective.broadcast(model.stateDict.map(\.1), root: 0)
        optimizer = try TrainingSetup.optimizer(config, model: model)
        reducer = try collective.gradientReducer(for: model.parameters.filter(\.requiresGrad))
        ema = try WeightAverage(model: model, decay: config.emaDecay)
        miner = TrainingSetup.miner(config)
        loss = TripletLoss(margin: config.margin, reduction: config.reduction)
        schedule = try TrainingSetup.schedule(config)
        strategy = config.mode.strategy
        let sampler = try IdentityBalancedSampler(
            dataset: prepared, peoplePerBatch: config.peoplePerBatch, imagesPerPerson: config.imagesPerPerson,
            seed: config.seed)
        state = TrainingState(sampler: sampler)
        maker = BatchMaker(
            dataset: prepared, model: model.description,
            augmentation: Augmentation(
                randomCrop: config.randomCrop, randomFlip: config.randomFlip, brightness: config.brightness,
                contrast: config.contrast), seed: config.seed)
        store = CheckpointStore(path: RunFolder.checkpoint(config), model: model, ema: ema, optimizer: optimizer)
        reporter = ProgressReporter(config: config, started: started, say: say)
        let isRoot = collective.rank == 0
        let description = model.description
        validator = try isRoot ? config.validationPairs.map {
            try Validator(
                pairs: $0, alignedRoot: config.validationDir!, backbone: config.backbone, description: description,
                precision: precision, runDir: config.runDir)
        } : nil
        try collective.barrier()  // every rank has looked at the run folder before rank 0 prepares it
        if isRoot { try RunFolder.prepare(config, start: start, say: say) }
        let resumedStep = start == .resume ? try Checkpoint.step(at: store.path) : nil
        log = isRoot ? try MetricsLog(directory: config.runDir, resumedAt: resumedStep) : nil
        try collective.barrier()
        if start == .resume {
            state = try store.restore(classSizes: dataset.classSizes)
            say("resumed from \(store.path) at step \(step), outer batch \(state.nextOuter)")
        }
        if isRoot { try writeConfig() }
    }

    // MARK: the loop

    /// Trains until a limit (steps, epochs, minutes) or a stop signal; writes a checkpoint at the end.
    public func run() throws {
        model.train()
        if config.batchNorm == .frozen {
            for case let bn as BatchNorm2d in model.namedModules.map(\.1) { bn.eval() }
        }
        if !store.exists {
            // The first "last good checkpoint", which a NaN at the very start restores.
            try saveCheckpoint()
            try validate()  // the starting point of the curve
        }
        while try !finished() {
            let outer = state.nextOuter
            let batch = try loadBatch(at: outer)
            for failure in batch.failures { say("skipped image \(failure)") }
            var abandoned = false
            try profiler.around { abandoned = try !strategy.train(batch, outer: outer, trainer: self) }
            // An outer batch a signal interrupted before its triplets existed is redone on resume.
            if state.pending == nil && !abandoned { state.sampler.seek(to: outer + 1) }
        }
        loader?.cancel()
        try profiler.finish()
        try saveCheckpoint()
        // Rank 0's log decides (the others have none) whether this step was validated already.
        if try collective.anyRank(isRoot && log?.lastValidation?.step != step) { try validate() }
        try log?.drawCurves()
        try collective.barrier()  // rank 0's store serves the others until they are all done
        say("stopped at step \(step)\(StopSignal.signal != nil ? " (signal)" : ""); checkpoint \(checkpointPath)")
    }

    var epoch: Int { step / config.epochSize }

    /// Images in the memory layout the weights use.
    func layout(_ images: Tensor) throws -> Tensor { config.channelsLast ? try images.channelsLast() : images }

    /// The model's embeddings (float32) of `images`, computed in the run's precision: every forward pass of
    /// training (mining and optimizer steps) comes through here.
    func forward(_ images: Tensor) throws -> Tensor { try precision.run { try model(layout(images)) } }

    /// Outer batch `outer`, from the background loader (the same tensors `maker.make` gives in sequence).
    func loadBatch(at outer: Int) throws -> TrainingBatch {
        if loader?.sampler.nextBatch != outer {
            loader?.cancel()
            var start = state.sampler
            start.seek(to: outer)
            loader = BatchLoader(sampler: start, maker: maker, batches: Int(Int32.max), depth: 1)
        }
        guard let batch = try loader?.nextBatch() else { throw UserError("the batch loader stopped early") }
        return batch
    }

    /// True when a limit (steps, epochs, minutes) is reached or a stop signal came, on any rank.
    func finished() throws -> Bool {
        var done = StopSignal.requested
        if config.maxSteps > 0 && step >= config.maxSteps { done = true }
        if config.maxEpochs > 0 && epoch >= config.maxEpochs { done = true }
        if config.maxMinutes > 0 && Date().timeIntervalSince(started) >= config.maxMinutes * 60 { done = true }
        return try collective.anyRank(done)
    }

    // MARK: one step

    /// Forward over this rank's share of `images` (gathered with the other ranks', theirs as constants),
    /// `choose` mines the triplets on the detached embeddings of all of them, then loss, backward, the
    /// gradients' average over the ranks, update and bookkeeping. False when the loss was not finite.
    func optimizerStep(images: Tensor, outer: Int, choose: (Tensor) throws -> [Triplet]) throws -> Bool {
        try Torch.manualSeed(config.seed &+ UInt64(step))  // dropout draws depend on the step only
        let clock = Date()
        let count = images.shape[0]
        if collective.worldSize > 1 && config.batchNorm == .train {
            try collective.broadcast(model.namedBuffers.map(\.1), root: 0)  // DDP's broadcast_buffers
        }
        let mine = collective.share(of: count)
        let local = try forward(mine.count == count ? images : images.narrowed(dim: 0, mine))
        let embeddings = try collective.gatherKeepingLocalGradient(local, count: count)
        let triplets = try choose(embeddings.detached())
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
        // Every rank's loss is the whole step's; each back-propagates into its share only, so the sum over
        // ranks is one process's gradient: the reducer's average times the world size.
        try (collective.worldSize > 1 ? value * Double(collective.worldSize) : value).backward()
        try reducer.finish()
        if config.gradClip > 0 {
            try Optimizer.clipGradients(model.parameters.filter(\.requiresGrad), maxNorm: config.gradClip)
        }
        try optimizer.step()
        try ema.update(from: model, step: step)
        state.step += 1
        let seconds = Date().timeIntervalSince(clock)
        if let log {
            try log.record(
                StepRecord(
                    step: step, epoch: epoch, outerBatch: outer, loss: lossValue, triplets: stats.count,
                    activeFraction: stats.activeFraction, meanAP: stats.meanAP, meanAN: stats.meanAN, learningRate: lr,
                    imagesPerSecond: Double(count) / max(seconds, 1e-9), elapsedSeconds: Date().timeIntervalSince(started),
                    reduceSeconds: collective.worldSize > 1 ? reducer.lastWaitSeconds : nil))
            reporter.stepDone(step, epoch: epoch, loss: lossValue, stats: stats, log: log)
        }
        return true
    }

    func afterStep() throws {
        if step % config.checkpointEvery == 0 { try saveCheckpoint() }
        if config.validateEvery > 0, step % config.validateEvery == 0 { try validate() }
    }

    /// A NaN or Inf loss (the same on every rank): report it, restore the last good checkpoint and move on
    /// to the next outer batch; give up after `nan_limit` times.
    func recoverFromNonFinite(_ value: Double) throws {
        nanCount += 1
        say("step \(step + 1): the loss is \(value); restoring the last good checkpoint (\(nanCount) of \(config.nanLimit) allowed)")
        guard nanCount <= config.nanLimit else {
            throw UserError("the loss was not finite \(nanCount) times (nan_limit \(config.nanLimit)); stopping. Lower learning_rate?")
        }
        let skipped = state.nextOuter
        if store.exists { state = try store.restore(classSizes: dataset.classSizes) }
        state.pending = nil
        state.sampler.seek(to: skipped + 1)
    }

    // MARK: rank 0's files

    /// The weight average evaluated on the validation pairs, on rank 0 while the others wait for it.
    func validate() throws {
        guard config.validationPairs != nil else { return }
        try collective.atRoot {
            guard let validator else { return }
            let record = try validator.run(step: step, weights: ema.stateDict)
            try log?.record(record)
            reporter.validated(record)
        }
    }

    func saveCheckpoint() throws {
        if isRoot { try store.save(state, epoch: epoch, config: config) }
    }

    func writeConfig() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(config), to: config.runDir + "/config.json")
    }
}
