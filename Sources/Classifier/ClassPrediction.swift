/// A classifier's answer for one embedding: a probability per class (in the classifier's class order).
public struct ClassPrediction: Equatable, Sendable {
    public let probabilities: [Double]

    public init(probabilities: [Double]) { self.probabilities = probabilities }

    /// Class indices by falling probability; ties keep class order (scikit-learn's argmax picks the first).
    public var ranked: [Int] {
        probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
    }

    public var best: Int { ranked[0] }
}
