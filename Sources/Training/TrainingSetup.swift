import Foundation
import Models
import Support
import TorchBridge
import TripletMining

/// Builds the pieces a config names: the model (from scratch, pretrained or a checkpoint), which layers
/// train, the optimizer with the reference's hyper-parameters, the miner and the loss.
enum TrainingSetup {
    static func description(_ c: TrainingConfig) -> ModelDescription {
        var d = c.backbone.reference
        d.name = c.initFrom == "pretrained" ? d.name + "-finetuned" : "facenet-\(c.backbone.rawValue)"
        d.embeddingSize = c.embeddingSize
        d.hiddenSize = c.hiddenSize
        d.inputSize = c.imageSize
        d.dropout = c.dropout
        return d
    }

    static func model(_ c: TrainingConfig, source: String) throws -> any FaceEmbeddingModel {
        let model = try c.backbone.make(description(c))
        switch c.initFrom {
        case "scratch":
            break
        case "pretrained":
            guard let weights = c.backbone.pretrainedWeights else {
                throw UserError(
                    "\(source): field 'init_from': backbone \(c.backbone.rawValue) has no pretrained weights "
                        + "(scratch or a checkpoint)")
            }
            let size = c.backbone.reference.embeddingSize
            guard c.embeddingSize == size else {
                throw UserError("\(source): field 'embedding_size' must be \(size) to start from the pretrained model")
            }
            try KerasImport.load(model, from: weights)
        default:
            let checkpoint = try Checkpoint.read(from: c.initFrom)
            guard checkpoint.backbone == c.backbone else {
                throw UserError(
                    "\(source): field 'init_from': \(c.initFrom) holds an \(checkpoint.backbone.rawValue), "
                        + "field 'backbone' is \(c.backbone.rawValue)")
            }
            try model.loadStateDict(checkpoint.evaluationWeights)
        }
        return model
    }

    /// Freezes every top-level part of the model up to and including `name` (e.g. `mixed_6a`); parts
    /// without weights (a pool) are not named.
    static func freeze(_ model: Module, until name: String?, source: String) throws {
        guard let name else { return }
        let weighted = model.children.filter { !$0.1.parameters.isEmpty }
        let parts = weighted.map(\.0)
        let top = parts.map { $0.split(separator: ".").first.map(String.init) ?? $0 }
        guard let last = top.lastIndex(of: name) else {
            // `repeat_1.0`, `repeat_1.1`, ... are one part: each name once, in model order.
            var seen = Set<String>()
            let names = top.filter { seen.insert($0).inserted }
            throw UserError("\(source): field 'freeze_until' names no part of the model: '\(name)' (parts: \(names.joined(separator: ", ")))")
        }
        for (_, child) in weighted[...last] { try child.setRequiresGrad(false) }
    }

    /// The optimizer, with davidsandberg/facenet `src/facenet.py` `train()`'s settings where they differ
    /// from libtorch's defaults: Adam epsilon 0.1, RMSProp decay 0.9 / momentum 0.9 / epsilon 1.0, Adagrad
    /// initial accumulator 0.1 (TF's default), Adadelta rho 0.9 / epsilon 1e-6, SGD Nesterov momentum 0.9.
    static func optimizer(_ c: TrainingConfig, model: any FaceEmbeddingModel) throws -> TrainingOptimizer {
        let head = Set(model.headParameters.map(ObjectIdentifier.init))
        let trainable = model.parameters.filter(\.requiresGrad)
        let headParameters = trainable.filter { head.contains(ObjectIdentifier($0)) }
        let body = c.headLearningRate == nil ? trainable : trainable.filter { !head.contains(ObjectIdentifier($0)) }
        guard !trainable.isEmpty else { throw UserError("every parameter is frozen: nothing to train") }
        let kind: Optimizer.Kind
        switch c.optimizer {
        case .adadelta:
            let adadelta = Adadelta(parameters: body, lr: c.learningRate, weightDecay: c.weightDecay)
            if let lr = c.headLearningRate { adadelta.addGroup(headParameters, lr: lr) }
            return adadelta
        case .adam: kind = .adam(eps: 0.1)
        case .rmsprop: kind = .rmsprop(alpha: 0.9, eps: 1.0, momentum: 0.9)
        case .sgd: kind = .sgd(momentum: 0.9, nesterov: true)
        case .adagrad: kind = .adagrad(initialAccumulator: 0.1)
        }
        let libtorch = try Optimizer(kind, parameters: body, lr: c.learningRate, weightDecay: c.weightDecay)
        if let lr = c.headLearningRate, !headParameters.isEmpty { try libtorch.addGroup(headParameters, lr: lr) }
        return libtorch
    }

    /// The miner a config names; a stop signal ends its mining part-way.
    static func miner(_ c: TrainingConfig) -> any TripletMiner {
        let rule: TripletRule
        switch c.miner {
        case .batchHard: return BatchHardMiner()
        case .semihard: rule = .semihard
        case .hard: rule = .hard
        case .margin: rule = .margin
        }
        return RuleMiner(
            rule: rule, policy: c.policy, margin: c.margin, maxTriplets: c.maxTriplets,
            shouldStop: { StopSignal.requested })
    }

    static func schedule(_ c: TrainingConfig) throws -> LearningRateSchedule {
        switch c.lrSchedule {
        case .step: .step(base: c.learningRate, every: c.lrDecayEpochs, factor: c.lrDecayFactor)
        case .cosine: .cosine(base: c.learningRate, totalSteps: max(c.maxSteps, c.maxEpochs * c.epochSize))
        case .file: try LearningRateSchedule.parse(file: c.lrScheduleFile!)
        case .constant: .constant(c.learningRate)
        }
    }
}
