@testable import Clustering
import Foundation
import TestSupport
import XCTest

/// Pairwise scores on seven faces, worked by hand:
///
///     face       0  1  2  3  4  5  6
///     identity   a  a  a  b  b  c  c
///     cluster    0  0  1  1  1  2  noise
///
/// True pairs: a C(3,2) = 3, b 1, c 1 -> 5. Predicted pairs: cluster 0 C(2,2) = 1, cluster 1 C(3,2) = 3,
/// cluster 2 and noise none -> 4. Both: (0,1) in cluster 0 and (3,4) in cluster 1 -> 2.
/// Precision 2/4 = 0.5, recall 2/5 = 0.4, F1 = 2 * 0.5 * 0.4 / 0.9 = 0.4444...
final class PairwiseScoresTests: XCTestCase {
    func testWorkedExample() {
        let scores = PairwiseScores(clusters: Clusters(rawLabels: [0, 0, 1, 1, 1, 2, -1]), identities: [0, 0, 0, 1, 1, 2, 2])
        XCTAssertEqual(scores.truePairs, 5)
        XCTAssertEqual(scores.predictedPairs, 4)
        XCTAssertEqual(scores.truePositivePairs, 2)
        XCTAssertEqual(scores.precision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(scores.recall, 0.4, accuracy: 1e-12)
        XCTAssertEqual(scores.f1, 0.8 / 1.8, accuracy: 1e-12)
    }

    func testEmptyDenominatorsCountAsNothingWrong() {
        // All noise: no pair claimed (precision 1), every true pair missed (recall 0).
        let scores = PairwiseScores(clusters: Clusters(rawLabels: [-1, -1, -1]), identities: [0, 0, 1])
        XCTAssertEqual(scores.precision, 1)
        XCTAssertEqual(scores.recall, 0)
        XCTAssertEqual(scores.f1, 0)
    }

    func testAgreesWithScikitLearnsPairConfusionMatrix() throws {
        var generator = SystemRandomNumberGenerator()
        let folder = try TemporaryFolder("clustering-scores")
        for trial in 0..<4 {
            let n = 300
            let truth = (0..<n).map { _ in Int.random(in: 0..<25, using: &generator) }
            // Predictions that are the truth with some faces moved and some made noise.
            let predicted = truth.map { label -> Int in
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: return -1
                case 1, 2: return Int.random(in: 0..<30, using: &generator)
                default: return label
                }
            }
            let spec = folder.file("pairwise-\(trial).json")
            try JSONSerialization.data(withJSONObject: ["truth": truth, "predicted": predicted]).write(to: URL(fileURLWithPath: spec))
            let out = try Reference.run(script: "clustering_reference.py", arguments: ["pairwise", spec])
            let reference = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
            let scores = PairwiseScores(clusters: Clusters(rawLabels: predicted), identities: truth)
            XCTAssertEqual(scores.truePositivePairs, reference["tp"] as? Int)
            XCTAssertEqual(scores.predictedPairs - scores.truePositivePairs, reference["fp"] as? Int)
            XCTAssertEqual(scores.truePairs - scores.truePositivePairs, reference["fn"] as? Int)
            XCTAssertEqual(scores.precision, reference["precision"] as! Double, accuracy: 1e-12)
            XCTAssertEqual(scores.recall, reference["recall"] as! Double, accuracy: 1e-12)
            XCTAssertEqual(scores.f1, reference["f1"] as! Double, accuracy: 1e-12)
        }
    }
}
