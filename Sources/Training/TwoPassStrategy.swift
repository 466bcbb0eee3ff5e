import Dataset
import Support
import TorchBridge
import TripletMining

/// davidsandberg/facenet's two passes: embed the outer batch without gradients, mine, then train on the
/// triplets `batch_size / 3` at a time, one optimizer step each. With several ranks, each embeds its share
/// of the outer batch and the embeddings are gathered, so every rank mines the same triplets; each step's
/// rows are then shared out again by `Trainer.optimizerStep`.
struct TwoPassStrategy: TrainingStrategy {
    func train(_ batch: TrainingBatch, outer: Int, trainer: Trainer) throws -> Bool {
        let config = trainer.config
        if trainer.state.pending == nil {
            guard let embeddings = try embedAll(batch, trainer: trainer) else { return false }
            var generator = SeededRandom(seed: config.seed ^ (UInt64(outer) &* 0x9E37_79B9_7F4A_7C15))
            var triplets = trainer.miner.mine(try DistanceMatrix(embeddings: embeddings), labels: batch.labels, generator: &generator)
            // The miner may have stopped part-way; the ranks agree, so a rank whose miner stopped early (its
            // triplets differ) abandons the batch with all the others.
            if try trainer.collective.anyRank(StopSignal.requested) { return false }
            triplets.shuffle(using: &generator)
            trainer.say("outer batch \(outer): \(batch.count) images of \(batch.classes.count) people, \(triplets.count) triplets")
            trainer.state.pending = PendingTriplets(outer: outer, triplets: triplets, position: 0)
        }
        let perStep = config.batchSize / 3
        while let current = trainer.state.pending, current.position < current.triplets.count, try !trainer.finished() {
            let chosen = Array(current.triplets[current.position..<min(current.triplets.count, current.position + perStep)])
            // Rows a0, p0, n0, a1, p1, n1, ... of the outer batch.
            let rows = chosen.flatMap { [$0.anchor, $0.positive, $0.negative] }
            let local = (0..<chosen.count).map { Triplet(anchor: 3 * $0, positive: 3 * $0 + 1, negative: 3 * $0 + 2) }
            let ok = try trainer.optimizerStep(images: batch.images.indexSelect(dim: 0, rows), outer: outer) { _ in local }
            if !ok { return true }
            trainer.state.pending?.position += chosen.count
            if trainer.state.pending!.position >= trainer.state.pending!.triplets.count { trainer.state.pending = nil }
            try trainer.afterStep()
        }
        return true
    }

    /// The outer batch's embeddings without gradients, `batch_size` at a time over this rank's share, or nil
    /// when a stop came (checked between chunks, so it acts within a chunk's time even for the largest batch).
    func embedAll(_ batch: TrainingBatch, trainer: Trainer) throws -> Tensor? {
        let mine = trainer.collective.share(of: batch.count)
        let size = trainer.config.batchSize
        // As many chunks on every rank (the largest share's), so the ranks' stop checks pair up.
        let largest = trainer.collective.share(of: batch.count, rank: 0).count
        var parts: [Tensor] = []
        for first in stride(from: 0, to: largest, by: size) {
            if try trainer.collective.anyRank(StopSignal.requested) { return nil }
            let rows = (mine.lowerBound + min(first, mine.count))..<(mine.lowerBound + min(first + size, mine.count))
            guard !rows.isEmpty else { continue }
            parts.append(try withNoGrad {
                try trainer.model.withFrozenRunningStatistics { try trainer.forward(batch.images.narrowed(dim: 0, rows)) }
            })
        }
        let local = parts.isEmpty ? try Tensor.zeros([0, trainer.model.description.embeddingSize]) : try Tensor.cat(parts, dim: 0)
        return try trainer.collective.gatherRows(local, count: batch.count)
    }
}

/// Ranges of at most `size` covering 0..<count.
func chunks(_ count: Int, _ size: Int) -> [Range<Int>] {
    stride(from: 0, to: count, by: max(size, 1)).map { $0..<min(count, $0 + max(size, 1)) }
}
