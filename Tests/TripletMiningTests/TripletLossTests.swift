import TestSupport
import TorchBridge
import TripletMining
import XCTest
import Support

/// The loss and its gradient with respect to the embeddings against PyTorch autograd (the formula written
/// out) and pytorch-metric-learning's TripletMarginLoss, in float64.
final class TripletLossTests: XCTestCase {
    /// 12 unit vectors in 5-D, 3 classes of 4; every valid triplet (12 x 3 x 8 = 288), some with zero loss.
    func data() -> (embeddings: [Double], labels: [Int], triplets: [Triplet]) {
        let (embeddings, labels) = Fixtures.clustered(classes: 3, perClass: 4, dimension: 5, spread: 0.5, seed: 77)
        return (embeddings, labels, Fixtures.allTriplets(labels: labels))
    }

    func reference(embeddings: [Double], triplets: [Triplet], margin: Double) throws -> [String: Any] {
        let folder = try TemporaryFolder("triplet-loss")
        let request = folder.file("request.json")
        let rows = stride(from: 0, to: embeddings.count, by: 5).map { Array(embeddings[$0..<$0 + 5]) }
        try Fixtures.writeJSON(
            ["embeddings": rows, "triplets": triplets.map { [$0.anchor, $0.positive, $0.negative] }, "margin": margin]
                as [String: Any], to: request)
        return try Fixtures.parseJSON(try Reference.run(script: "triplet_loss_reference.py", arguments: [request]))
    }

    func ours(embeddings: [Double], triplets: [Triplet], loss: TripletLoss) throws
        -> (loss: Double, grad: [Double], stats: TripletStats)
    {
        let x = try Tensor(embeddings, shape: [embeddings.count / 5, 5]).requiringGrad()
        let (value, stats) = try loss(embeddings: x, triplets: triplets)
        XCTAssertEqual(try value.dtype, .float64)
        XCTAssertEqual(value.shape, [])
        try value.backward()
        return (try value.item(), try XCTUnwrap(x.grad()).toArray(Double.self), stats)
    }

    func testLossAndGradientEqualPyTorch() throws {
        let (embeddings, _, triplets) = data()
        let margin = 0.2
        let ref = try reference(embeddings: embeddings, triplets: triplets, margin: margin)
        for (reduction, key) in [(Reduction.mean, "mean"), (.meanOfNonZero, "mean_of_non_zero")] {
            let mine = try ours(embeddings: embeddings, triplets: triplets, loss: TripletLoss(margin: margin, reduction: reduction))
            for source in ["formula", "pml"] {
                let r = try XCTUnwrap(ref["\(source)_\(key)"] as? [String: Any])
                let loss = try XCTUnwrap(r["loss"] as? Double)
                let grad = try XCTUnwrap(r["grad"] as? [Double])
                XCTAssertEqual(mine.loss, loss, accuracy: 1e-6, "\(reduction) vs \(source)")
                XCTAssertEqual(grad.count, mine.grad.count)
                let worst = zip(mine.grad, grad).map { abs($0 - $1) }.max() ?? .infinity
                print("loss \(reduction) vs \(source): ours \(mine.loss), theirs \(loss), worst gradient difference \(worst)")
                XCTAssertLessThan(worst, 1e-6, "\(reduction) gradient vs \(source)")
                XCTAssertGreaterThan(grad.map(abs).max() ?? 0, 1e-3, "a gradient worth comparing")
            }
            let stats = try XCTUnwrap(ref["stats"] as? [String: Any])
            XCTAssertEqual(mine.stats.count, triplets.count)
            XCTAssertEqual(mine.stats.meanAP, try XCTUnwrap(stats["mean_ap"] as? Double), accuracy: 1e-9)
            XCTAssertEqual(mine.stats.meanAN, try XCTUnwrap(stats["mean_an"] as? Double), accuracy: 1e-9)
            XCTAssertEqual(mine.stats.activeFraction, try XCTUnwrap(stats["active_fraction"] as? Double), accuracy: 1e-12)
            // The data has both active and inactive triplets, so the two reductions differ.
            XCTAssertGreaterThan(mine.stats.activeFraction, 0.05)
            XCTAssertLessThan(mine.stats.activeFraction, 0.95)
        }
    }

    func testLossOnMinedTripletsEqualsPyTorch() throws {
        // In-batch use: triplets from the miner (margin rule, random negative), repeated ones included.
        let (embeddings, labels, _) = data()
        let x = try Tensor(embeddings, shape: [12, 5])
        var g = SeededRandom(seed: 3)
        let mined = RuleMiner(rule: .margin, policy: .randomNegative, pairs: .ordered)
            .mine(try DistanceMatrix(embeddings: x), labels: labels, generator: &g)
        XCTAssertGreaterThan(mined.count, 5)
        let triplets = mined + mined.prefix(3)
        let ref = try reference(embeddings: embeddings, triplets: triplets, margin: 0.3)
        let mine = try ours(embeddings: embeddings, triplets: triplets, loss: TripletLoss(margin: 0.3))
        let r = try XCTUnwrap(ref["formula_mean"] as? [String: Any])
        XCTAssertEqual(mine.loss, try XCTUnwrap(r["loss"] as? Double), accuracy: 1e-6)
        let worst = zip(mine.grad, try XCTUnwrap(r["grad"] as? [Double])).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-6)
        // Margin-rule triplets all have non-zero loss at the margin they were mined with (0.2 < 0.3).
        XCTAssertEqual(mine.stats.activeFraction, 1)
    }

    func testNoTripletsGivesZeroLossAndZeroGradient() throws {
        let x = try Tensor([0.6, 0.8, 1.0, 0.0], shape: [2, 2]).requiringGrad()
        let (loss, stats) = try TripletLoss(reduction: .meanOfNonZero)(embeddings: x, triplets: [])
        XCTAssertEqual(try loss.item(), 0)
        XCTAssertEqual(stats, .empty)
        try loss.backward()
        XCTAssertEqual(try XCTUnwrap(x.grad()).toArray(Double.self), [0, 0, 0, 0])
    }

    func testAllInactiveTripletsGiveZeroForBothReductions() throws {
        // d_ap = 0.02, d_an = 2: no loss at alpha 0.2.
        let x = try Tensor([1.0, 0.0, 0.99, 0.141, -1.0, 0.0], shape: [3, 2]).requiringGrad()
        for reduction in Reduction.allCases {
            let (loss, stats) = try TripletLoss(reduction: reduction)(
                embeddings: x, triplets: [Triplet(anchor: 0, positive: 1, negative: 2)])
            XCTAssertEqual(try loss.item(), 0)
            XCTAssertEqual(stats.activeFraction, 0)
            XCTAssertEqual(stats.meanAN, 4, accuracy: 1e-12)
        }
    }
}
