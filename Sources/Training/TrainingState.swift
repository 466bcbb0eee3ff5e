import Dataset
import TripletMining

/// Where a run is, besides its weights: what a checkpoint stores so a resumed run continues exactly.
struct TrainingState {
    /// Optimizer steps done.
    var step = 0
    var sampler: IdentityBalancedSampler
    /// Two-pass mode: the outer batch in progress, its mined triplets and how many are done.
    var pending: PendingTriplets?

    /// The outer batch to train next (the one in progress, if any).
    var nextOuter: Int { pending?.outer ?? sampler.state.nextBatch }
}

struct PendingTriplets {
    var outer: Int
    var triplets: [Triplet]
    var position: Int
}
