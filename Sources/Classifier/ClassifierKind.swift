/// Which classifier a model file holds.
public enum ClassifierKind: String, CaseIterable, Codable, Sendable {
    /// liblinear's L2-regularised logistic regression (one-vs-rest): a linear classifier whose probabilities
    /// come from the model itself. liblinear's SVM solvers give no probabilities (`predict_probability` accepts
    /// only logistic-regression models), so this is the linear classifier with probabilities it offers.
    case linear
    /// k nearest training embeddings, probability = share of the k votes.
    case knn
}
