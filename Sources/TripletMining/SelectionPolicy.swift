import Support

/// What a `RuleMiner` keeps of the negatives that qualify for one anchor-positive pair.
///
/// - `all`: every qualifying triplet (pytorch-metric-learning's `TripletMarginMiner`).
/// - `randomNegative`: one qualifying negative drawn uniformly at random; pairs with none are dropped.
///   This is davidsandberg/facenet's `select_triplets` (`np.random.randint(nrof_random_negs)`), after
///   VGG Face (Parkhi, Vedaldi, Zisserman, BMVC 2015): "sampling the image n at random, but only between
///   the ones that violate the triplet loss margin".
/// - `hardestNegative`: the qualifying negative closest to the anchor (the lowest index among equal
///   distances); pairs with none are dropped. With the `semihard` rule this is FaceNet's choice of the
///   hardest semi-hard negative (section 3.2).
/// Its raw value is the config's `policy` text.
public enum SelectionPolicy: String, Choice {
    case all
    case randomNegative = "random"
    case hardestNegative = "hardest"
}

/// Which anchor-positive pairs a `RuleMiner` extends to triplets.
///
/// - `ordered`: every ordered pair (a, p), a != p, of the same label: both (a, p) and (p, a).
///   pytorch-metric-learning's `get_all_triplets_indices` (and so `TripletMarginMiner`) enumerates these.
/// - `unordered`: every pair once, anchor before positive in the batch (a < p). davidsandberg's
///   `select_triplets` does this: `a_idx = emb_start_idx + j - 1` and `for pair in xrange(j, nrof_images)`.
public enum AnchorPositivePairs: Sendable, CaseIterable {
    case ordered, unordered

    /// The pairs each policy's reference uses: `ordered` for `all` (pytorch-metric-learning), `unordered`
    /// for `randomNegative` and `hardestNegative` (davidsandberg's `select_triplets`).
    public static func reference(for policy: SelectionPolicy) -> AnchorPositivePairs {
        policy == .all ? .ordered : .unordered
    }
}
