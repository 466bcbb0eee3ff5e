import TestSupport
import TorchBridge
import TripletMining
import XCTest
import Support

/// The selection policies on six points in 2-D whose squared distances are worked out by hand.
///
///     index  point        label   d(A, .)   d(B, .)
///     0 A    (0, 0)       0       0         0.09
///     1 B    (0.3, 0)     0       0.09      0
///     2 N1   (0.2, 0)     1       0.04      0.01
///     3 N2   (0.45, 0)    2       0.2025    0.0225
///     4 N3   (0.5, 0)     3       0.25      0.04
///     5 N4   (0.6, 0.1)   4       0.37      0.10
///
/// Only A and B share a label, so the anchor-positive pairs are (A, B) and (B, A) (ordered) or (A, B)
/// (unordered). d_ap = 0.09 both ways. Gaps d_an - d_ap, alpha = 0.2:
/// from A: N1 -0.05, N2 0.1125, N3 0.16, N4 0.28; from B: N1 -0.08, N2 -0.0675, N3 -0.05, N4 0.01.
/// So semihard (0 < gap < 0.2): A {N2, N3}, B {N4}; margin (gap < 0.2): A {N1, N2, N3}, B {N1..N4};
/// hard (gap <= 0): A {N1}, B {N1, N2, N3}.
final class HandComputedPolicyTests: XCTestCase {
    let points: [Double] = [0, 0, 0.3, 0, 0.2, 0, 0.45, 0, 0.5, 0, 0.6, 0.1]
    let labels = [0, 0, 1, 2, 3, 4]
    let (a, b, n1, n2, n3, n4) = (0, 1, 2, 3, 4, 5)

    func distances() throws -> DistanceMatrix {
        try DistanceMatrix(embeddings: Tensor(points, shape: [6, 2]))
    }

    func mine(_ rule: TripletRule, _ policy: SelectionPolicy, _ pairs: AnchorPositivePairs, seed: UInt64 = 1) throws
        -> [Triplet]
    {
        var generator = SeededRandom(seed: seed)
        return RuleMiner(rule: rule, policy: policy, pairs: pairs).mine(try distances(), labels: labels, generator: &generator)
    }

    func t(_ a: Int, _ p: Int, _ n: Int) -> Triplet { Triplet(anchor: a, positive: p, negative: n) }

    func testDistanceMatrixMatchesHandComputation() throws {
        let d = try distances()
        XCTAssertEqual(d.count, 6)
        let fromA: [Float] = [0, 0.09, 0.04, 0.2025, 0.25, 0.37]
        let fromB: [Float] = [0.09, 0, 0.01, 0.0225, 0.04, 0.10]
        for j in 0..<6 {
            XCTAssertEqual(d[a, j], fromA[j], accuracy: 1e-6)
            XCTAssertEqual(d[b, j], fromB[j], accuracy: 1e-6)
            XCTAssertEqual(d[j, a], fromA[j], accuracy: 1e-6)
        }
    }

    func testAllPolicyKeepsEveryQualifyingNegative() throws {
        XCTAssertEqual(try mine(.semihard, .all, .ordered), [t(a, b, n2), t(a, b, n3), t(b, a, n4)])
        XCTAssertEqual(
            try mine(.margin, .all, .ordered),
            [t(a, b, n1), t(a, b, n2), t(a, b, n3), t(b, a, n1), t(b, a, n2), t(b, a, n3), t(b, a, n4)])
        XCTAssertEqual(try mine(.hard, .all, .ordered), [t(a, b, n1), t(b, a, n1), t(b, a, n2), t(b, a, n3)])
        XCTAssertEqual(try mine(.semihard, .all, .unordered), [t(a, b, n2), t(a, b, n3)])
    }

    func testHardestPolicyTakesTheClosestQualifyingNegative() throws {
        XCTAssertEqual(try mine(.semihard, .hardestNegative, .ordered), [t(a, b, n2), t(b, a, n4)])
        XCTAssertEqual(try mine(.margin, .hardestNegative, .ordered), [t(a, b, n1), t(b, a, n1)])
        XCTAssertEqual(try mine(.hard, .hardestNegative, .ordered), [t(a, b, n1), t(b, a, n1)])
        XCTAssertEqual(try mine(.semihard, .hardestNegative, .unordered), [t(a, b, n2)])
        // The default pairs of the hardest and random policies are davidsandberg's unordered ones.
        XCTAssertEqual(RuleMiner(rule: .semihard, policy: .hardestNegative).pairs, .unordered)
        XCTAssertEqual(RuleMiner(rule: .semihard, policy: .randomNegative).pairs, .unordered)
        XCTAssertEqual(RuleMiner(rule: .semihard, policy: .all).pairs, .ordered)
    }

    func testHardestPolicyBreaksTiesByLowestIndex() {
        // From anchor 0: negatives 2 and 3 both at 0.5 (semihard gap 0.1); 4 at 0.6.
        let d: [Float] = [
            0, 0.4, 0.5, 0.5, 0.6,
            0.4, 0, 1, 1, 1,
            0.5, 1, 0, 1, 1,
            0.5, 1, 1, 0, 1,
            0.6, 1, 1, 1, 0,
        ]
        var g = SeededRandom(seed: 0)
        let out = RuleMiner(rule: .semihard, policy: .hardestNegative)
            .mine(DistanceMatrix(count: 5, values: d), labels: [7, 7, 1, 2, 3], generator: &g)
        XCTAssertEqual(out, [t(0, 1, 2)])
    }

    func testRandomPolicyDrawsUniformlyAmongQualifyingNegatives() throws {
        // margin rule, unordered pairs: one pair (A, B) with candidates {N1, N2, N3}; N4 never.
        var counts: [Int: Int] = [:]
        let draws = 3000
        var generator = SeededRandom(seed: 42)
        let d = try distances()
        let miner = RuleMiner(rule: .margin, policy: .randomNegative)
        for _ in 0..<draws {
            let out = miner.mine(d, labels: labels, generator: &generator)
            XCTAssertEqual(out.count, 1)
            XCTAssertEqual(out.first?.anchor, a)
            XCTAssertEqual(out.first?.positive, b)
            counts[out[0].negative, default: 0] += 1
        }
        XCTAssertEqual(Set(counts.keys), [n1, n2, n3])
        // Each 1000 expected; binomial sd ~ 26, so +-130 is 5 sd.
        for n in [n1, n2, n3] { XCTAssertEqual(Double(counts[n] ?? 0), 1000, accuracy: 130, "negative \(n)") }

        // Ordered pairs: from B the candidates are all four.
        var fromB: Set<Int> = []
        for _ in 0..<200 {
            let out = RuleMiner(rule: .margin, policy: .randomNegative, pairs: .ordered)
                .mine(d, labels: labels, generator: &generator)
            XCTAssertEqual(out.map(\.anchor), [a, b])
            fromB.insert(out[1].negative)
        }
        XCTAssertEqual(fromB, [n1, n2, n3, n4])
    }

    func testRandomPolicyIsDeterministicForASeed() throws {
        let first = try mine(.margin, .randomNegative, .ordered, seed: 7)
        XCTAssertEqual(try mine(.margin, .randomNegative, .ordered, seed: 7), first)
        // With one candidate (semihard from B: N4) there is no choice.
        XCTAssertEqual(try mine(.semihard, .randomNegative, .ordered, seed: 9).last, t(b, a, n4))
    }

    func testPairsWithoutQualifyingNegativesAreDropped() throws {
        // semihard from B with a margin of 0.005 (< gap 0.01 of N4): nothing from B; from A nothing either.
        var g = SeededRandom(seed: 0)
        let out = RuleMiner(rule: .semihard, policy: .randomNegative, margin: 0.005, pairs: .ordered)
            .mine(try distances(), labels: labels, generator: &g)
        XCTAssertEqual(out, [])
        // A label seen once gives no pair; one label only gives no negative.
        XCTAssertEqual(RuleMiner(rule: .margin, policy: .all).mine(try distances(), labels: [0, 1, 2, 3, 4, 5]), [])
        XCTAssertEqual(RuleMiner(rule: .margin, policy: .all).mine(try distances(), labels: [0, 0, 0, 0, 0, 0]), [])
        XCTAssertEqual(BatchHardMiner().mine(try distances(), labels: [0, 0, 0, 0, 0, 0]), [])
    }

    func testBatchHardOnHandComputedCase() throws {
        // Labels: A, B, N1 share label 0; N2, N3, N4 share label 1.
        // A: positives B 0.09, N1 0.04 -> B; negatives N2 0.2025, N3 0.25, N4 0.37 -> N2.
        // B: positives A 0.09, N1 0.01 -> A; negatives N2 0.0225 -> N2.
        // N1: positives A 0.04, B 0.01 -> A; negatives N2 (0.25^2 = 0.0625), N3 0.09, N4 0.17 -> N2.
        // N2: positives N3 0.0025, N4 (0.15^2 + 0.1^2 = 0.0325) -> N4; negatives B 0.0225 -> B.
        // N3: positives N2 0.0025, N4 (0.01 + 0.01 = 0.02) -> N4; negatives B 0.04 -> B.
        // N4: positives N2 0.0325, N3 0.02 -> N2; negatives B 0.10, N1 0.17, A 0.37 -> B.
        let out = BatchHardMiner().mine(try distances(), labels: [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(out, [t(a, b, n2), t(b, a, n2), t(n1, a, n2), t(n2, n4, b), t(n3, n4, b), t(n4, n2, b)])
    }

    func testSplitMix64MatchesReferenceOutputs() {
        // Vigna's splitmix64.c seeded with 0.
        var g = SeededRandom(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(g.next(), 0x06C4_5D18_8009_454F)
    }

    func testRuleIntervalsAgreeWithTheRuleDefinitions() {
        // qualifies() is the documented definition; the miners use an interval form of it.
        let ap: Float = 0.5
        for rule in TripletRule.allCases {
            var g = SeededRandom(seed: 3)
            for _ in 0..<2000 {
                let an = Float(g.next() % 20001) / 10000  // 0 ... 2 in steps of 1e-4, boundaries included
                let d: [Float] = [0, ap, an, ap, 0, 1, an, 1, 0]
                var gg = SeededRandom(seed: 0)
                let mined = RuleMiner(rule: rule, policy: .all, margin: 0.2, pairs: .unordered)
                    .mine(DistanceMatrix(count: 3, values: d), labels: [0, 0, 1], generator: &gg)
                XCTAssertEqual(!mined.isEmpty, rule.qualifies(ap: ap, an: an, margin: 0.2), "\(rule) an=\(an)")
            }
        }
    }
}
