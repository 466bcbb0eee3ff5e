import TestSupport
import TorchBridge
import TripletMining
import XCTest
import Support

/// Mining against pytorch-metric-learning 2.9 (and a port of davidsandberg's `select_triplets`
/// candidate lists) under Debian's torch 1.13, on 60 L2-normalised embeddings in 16-D, 6 classes of 10.
final class PMLReferenceTests: XCTestCase {
    static let classes = 6, perClass = 10, dimension = 16, margin = 0.2
    /// No d_an - d_ap lies within this of the rules' boundaries (0 and alpha), nor are the two extreme
    /// distances of any batch-hard row this close: float32 rounding (ours: |a|^2 + |b|^2 - 2ab, PML:
    /// torch.cdist then squared) cannot move a triplet across. Checked below, so a change of data that
    /// breaks it fails loudly instead of flakily.
    static let boundaryGap: Float = 1e-5

    struct Case {
        let embeddings: [Double]
        let labels: [Int]
        let distances: DistanceMatrix
        let reference: [String: Any]
    }

    static var cached: Case?

    func referenceCase() throws -> Case {
        if let c = Self.cached { return c }
        let (embeddings, labels) = Fixtures.clustered(
            classes: Self.classes, perClass: Self.perClass, dimension: Self.dimension, spread: 0.22, seed: 2024)
        let n = labels.count
        let floats = embeddings.map { Float($0) }
        let distances = try DistanceMatrix(embeddings: Tensor(floats, shape: [n, Self.dimension]))
        let folder = try TemporaryFolder("pml-miners")
        let request = folder.file("request.json")
        let rows = (0..<n).map { i in (0..<Self.dimension).map { Double(floats[i * Self.dimension + $0]) } }
        try Fixtures.writeJSON(
            ["embeddings": rows, "labels": labels, "margin": Self.margin,
             "sizes": [Int](repeating: Self.perClass, count: Self.classes)] as [String: Any], to: request)
        let output = try Reference.run(script: "pml_miners_reference.py", arguments: [request])
        let c = Case(embeddings: embeddings, labels: labels, distances: distances, reference: try Fixtures.parseJSON(output))
        Self.cached = c
        return c
    }

    func testDataStaysAwayFromRuleBoundaries() throws {
        let c = try referenceCase()
        let alpha = Float(Self.margin)
        var closest = Float.infinity
        var counts = (semihard: 0, hard: 0, easy: 0)
        for t in Fixtures.allTriplets(labels: c.labels) {
            let gap = c.distances[t.anchor, t.negative] - c.distances[t.anchor, t.positive]
            closest = min(closest, abs(gap), abs(gap - alpha))
            if gap <= 0 { counts.hard += 1 } else if gap < alpha { counts.semihard += 1 } else { counts.easy += 1 }
        }
        print("PML case: 27000 triplets: \(counts.hard) hard, \(counts.semihard) semihard, \(counts.easy) easy;",
              "closest gap to a boundary \(closest)")
        XCTAssertGreaterThan(closest, Self.boundaryGap)
        // Every rule has a non-trivial set, so the comparisons below mean something.
        XCTAssertGreaterThan(counts.hard, 100)
        XCTAssertGreaterThan(counts.semihard, 100)
        XCTAssertGreaterThan(counts.easy, 100)
    }

    func testAllPolicyEqualsTripletMarginMiner() throws {
        let c = try referenceCase()
        for (rule, kind) in [(TripletRule.semihard, "semihard"), (.margin, "all"), (.hard, "hard")] {
            let ours = RuleMiner(rule: rule, policy: .all, margin: Self.margin).mine(c.distances, labels: c.labels)
            let theirs = try XCTUnwrap(Fixtures.triplets(c.reference[kind]), kind)
            XCTAssertEqual(ours.count, Set(ours).count, "\(rule): duplicates")
            XCTAssertEqual(Set(ours), Set(theirs), "\(rule) vs TripletMarginMiner(\(kind))")
            // Same order too: PML's torch.where over [a, p, n] is increasing (a, p, n), as ours.
            XCTAssertEqual(ours, theirs, "\(rule) order")
            print("TripletMarginMiner(\(kind)): \(theirs.count) triplets, ours \(ours.count)")
            XCTAssertGreaterThan(theirs.count, 100)
        }
    }

    func testBatchHardEqualsPML() throws {
        let c = try referenceCase()
        // No tie (within the rounding gap) between the two farthest positives or two closest negatives.
        for a in c.labels.indices {
            let pos = c.labels.indices.filter { $0 != a && c.labels[$0] == c.labels[a] }.map { c.distances[a, $0] }.sorted()
            let neg = c.labels.indices.filter { c.labels[$0] != c.labels[a] }.map { c.distances[a, $0] }.sorted()
            XCTAssertGreaterThan(pos[pos.count - 1] - pos[pos.count - 2], Self.boundaryGap)
            XCTAssertGreaterThan(neg[1] - neg[0], Self.boundaryGap)
        }
        let ours = BatchHardMiner().mine(c.distances, labels: c.labels)
        let theirs = try XCTUnwrap(Fixtures.triplets(c.reference["batch_hard"]))
        XCTAssertEqual(theirs.count, 60)
        XCTAssertEqual(ours, theirs)
    }

    /// davidsandberg's `select_triplets` visits unordered pairs (anchor before positive) and draws from
    /// the negatives with d_an - d_ap < alpha: our random and hardest picks (margin rule, default pairs)
    /// must come from its candidate list, for exactly the pairs whose list is not empty.
    func testRandomAndHardestPicksComeFromSelectTripletsCandidates() throws {
        let c = try referenceCase()
        let rows = try XCTUnwrap(c.reference["select_triplets"] as? [[Any]])
        var candidates: [[Int]: Set<Int>] = [:]
        for row in rows {
            let key = [try XCTUnwrap(row[0] as? Int), try XCTUnwrap(row[1] as? Int)]
            candidates[key] = Set(try XCTUnwrap(row[2] as? [Int]))
        }
        // 6 classes x C(10, 2) pairs.
        XCTAssertEqual(candidates.count, 6 * 45)
        let nonEmpty = Set(candidates.filter { !$0.value.isEmpty }.keys)
        XCTAssertGreaterThan(nonEmpty.count, 50)

        for policy in [SelectionPolicy.randomNegative, .hardestNegative] {
            var generator = SeededRandom(seed: 11)
            let ours = RuleMiner(rule: .margin, policy: policy, margin: Self.margin)
                .mine(c.distances, labels: c.labels, generator: &generator)
            XCTAssertEqual(Set(ours.map { [$0.anchor, $0.positive] }), nonEmpty, "\(policy): pairs")
            XCTAssertEqual(ours.count, nonEmpty.count, "\(policy): one triplet per pair")
            for t in ours {
                let pool = candidates[[t.anchor, t.positive]] ?? []
                XCTAssertTrue(pool.contains(t.negative), "\(policy) \(t) not a select_triplets candidate")
                if policy == .hardestNegative {
                    let best = pool.min { (c.distances[t.anchor, $0], $0) < (c.distances[t.anchor, $1], $1) }
                    XCTAssertEqual(t.negative, best, "hardest of \(t)")
                }
            }
        }
    }

    /// Random and hardest choices per ordered pair against PML's full semihard set (FaceNet's
    /// hardest semi-hard negative is the semihard negative nearest to the anchor).
    func testHardestSemihardIsTheClosestOfPMLSemihardSet() throws {
        let c = try referenceCase()
        let theirs = try XCTUnwrap(Fixtures.triplets(c.reference["semihard"]))
        var pool: [[Int]: [Int]] = [:]
        for t in theirs { pool[[t.anchor, t.positive], default: []].append(t.negative) }
        var g = SeededRandom(seed: 5)
        let hardest = RuleMiner(rule: .semihard, policy: .hardestNegative, pairs: .ordered)
            .mine(c.distances, labels: c.labels, generator: &g)
        let random = RuleMiner(rule: .semihard, policy: .randomNegative, pairs: .ordered)
            .mine(c.distances, labels: c.labels, generator: &g)
        XCTAssertEqual(hardest.count, pool.count)
        XCTAssertEqual(random.count, pool.count)
        for t in hardest {
            let negatives = try XCTUnwrap(pool[[t.anchor, t.positive]])
            XCTAssertEqual(t.negative, negatives.min { c.distances[t.anchor, $0] < c.distances[t.anchor, $1] })
        }
        for t in random { XCTAssertTrue(pool[[t.anchor, t.positive]]?.contains(t.negative) ?? false, "\(t)") }
    }

    /// Mining depends on labels, not on row order: permuting the batch permutes the triplets.
    func testMiningIsInvariantToRowOrder() throws {
        let c = try referenceCase()
        let n = c.labels.count
        var g = SeededRandom(seed: 99)
        var perm = Array(0..<n)
        perm.shuffle(using: &g)  // new row i holds old row perm[i]
        let values = (0..<n * n).map { k in c.distances[perm[k / n], perm[k % n]] }
        let shuffled = DistanceMatrix(count: n, values: values)
        let labels = perm.map { c.labels[$0] }
        let back = { (t: Triplet) in Triplet(anchor: perm[t.anchor], positive: perm[t.positive], negative: perm[t.negative]) }
        for rule in TripletRule.allCases {
            let miner = RuleMiner(rule: rule, policy: .all)
            XCTAssertEqual(Set(miner.mine(shuffled, labels: labels).map(back)), Set(miner.mine(c.distances, labels: c.labels)))
        }
        XCTAssertEqual(
            Set(BatchHardMiner().mine(shuffled, labels: labels).map(back)),
            Set(BatchHardMiner().mine(c.distances, labels: c.labels)))
    }
}
