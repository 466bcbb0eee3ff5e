import Dataset
import Foundation
import Models
import TorchBridge
import TripletMining

/// The run's `checkpoint.h5`: the model, its weight average, the optimizer and the `TrainingState`, written
/// atomically (`Checkpoint.write`) and read back into the same objects.
struct CheckpointStore {
    let path: String
    let model: any FaceEmbeddingModel
    let ema: WeightAverage
    let optimizer: TrainingOptimizer

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    func save(_ state: TrainingState, epoch: Int, config: TrainingConfig) throws {
        var checkpoint = Checkpoint(
            step: state.step, epoch: epoch, model: model.stateDict, ema: Array(zip(ema.names, ema.shadows)),
            optimizerState: try optimizer.stateBytes(),
            samplerState: String(decoding: try JSONEncoder().encode(state.sampler.state), as: UTF8.self),
            config: String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
        checkpoint.backbone = model.backbone
        checkpoint.outerBatch = state.nextOuter
        if let pending = state.pending {
            checkpoint.pendingTriplets = pending.triplets.flatMap { [Int64($0.anchor), Int64($0.positive), Int64($0.negative)] }
            checkpoint.pendingPosition = pending.position
        }
        try checkpoint.write(to: path)
    }

    /// Loads the weights, the average and the optimizer state, and returns the state the file holds.
    func restore(classSizes: [Int]) throws -> TrainingState {
        let checkpoint = try Checkpoint.read(from: path)
        try model.loadStateDict(Dictionary(uniqueKeysWithValues: checkpoint.model))
        try ema.load(Dictionary(uniqueKeysWithValues: checkpoint.ema))
        try optimizer.loadState(checkpoint.optimizerState)
        let samplerState = try JSONDecoder().decode(SamplerState.self, from: Data(checkpoint.samplerState.utf8))
        let t = checkpoint.pendingTriplets
        return TrainingState(
            step: checkpoint.step,
            sampler: try IdentityBalancedSampler(classSizes: classSizes, resuming: samplerState),
            pending: t.isEmpty
                ? nil
                : PendingTriplets(
                    outer: checkpoint.outerBatch,
                    triplets: stride(from: 0, to: t.count, by: 3).map {
                        Triplet(anchor: Int(t[$0]), positive: Int(t[$0 + 1]), negative: Int(t[$0 + 2]))
                    },
                    position: checkpoint.pendingPosition))
    }
}
