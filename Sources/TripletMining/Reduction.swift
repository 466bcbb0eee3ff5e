import Support
import TorchBridge

/// How per-triplet losses become one number (pytorch-metric-learning's reducers).
///
/// - `mean`: the mean over all triplets, zeros included (`MeanReducer`; davidsandberg/facenet's
///   `tf.reduce_mean` in `facenet.triplet_loss`; FaceNet eq. (3) up to the constant).
/// - `meanOfNonZero`: the mean over triplets whose loss is > 0 (`AvgNonZeroReducer`, i.e.
///   `ThresholdReducer(low=0)`); 0 when there is none. It keeps the loss from shrinking as more triplets
///   become easy.
/// Its raw value is the config's `reduction` text.
public enum Reduction: String, Choice {
    case mean
    case meanOfNonZero = "mean-nonzero"

    /// Reduces `losses` ([t], t >= 1) of which `active` are > 0. Both reductions are a sum over
    /// `losses` times a constant, so the gradient reaches exactly the triplets with non-zero loss.
    func reduce(_ losses: Tensor, count: Int, active: Int) throws -> Tensor {
        switch self {
        case .mean: return try losses.sum() / Double(count)
        case .meanOfNonZero: return try losses.sum() / Double(Swift.max(active, 1))
        }
    }
}
