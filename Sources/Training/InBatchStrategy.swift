import Dataset
import Support
import TripletMining

/// One forward pass with gradients over the whole outer batch, mining inside it. With several ranks each
/// embeds its share; the gathered embeddings (others' as constants) are mined identically everywhere.
struct InBatchStrategy: TrainingStrategy {
    func train(_ batch: TrainingBatch, outer: Int, trainer: Trainer) throws -> Bool {
        var generator = SeededRandom(seed: trainer.config.seed ^ (UInt64(outer) &* 0x9E37_79B9_7F4A_7C15))
        let ok = try trainer.optimizerStep(images: batch.images, outer: outer) { embeddings in
            trainer.miner.mine(try DistanceMatrix(embeddings: embeddings), labels: batch.labels, generator: &generator)
        }
        if ok { try trainer.afterStep() }
        return true
    }
}
