import Foundation
import Recognition
import XCTest

/// Exact search and the open-set decision on 2-D unit vectors, where every distance can be read off a
/// circle: squared L2 between unit vectors at angle θ is 2 - 2 cos θ.
///
/// Gallery (angles in degrees):  Ann: 0, 60      Bob: 90      Cy: 180
/// Ann's mean: (1 + cos 60, sin 60) / |.| = direction 30°.
///
/// | probe | rule min: Ann (nearest face) | Bob          | Cy            | rule mean: Ann (30°)   |
/// |-------|------------------------------|--------------|---------------|------------------------|
/// | 10°   | 10° -> 2 - 2cos10 = 0.030384 | 80° -> 1.652704 | 170° -> 3.969616 | 20° -> 0.120615 |
/// | 135°  | 75° -> 1.482362              | 45° -> 0.585786 | 45° -> 0.585786  | 105° -> 2.517638 |
///
/// Cohort score (nearest / mean of the next 4; the gallery has only 3 people, so the missing two count as 4),
/// rule min, probe 10°: 0.030384 / ((1.652704 + 3.969616 + 4 + 4) / 4) = 0.030384 / 3.405580 = 0.008922.
/// Ratio score (nearest / next), rule min: probe 10°: 0.030384 / 1.652704 = 0.018384; probe 135°: Bob and Cy tie
/// at 0.585786 -> ratio 1 (a tie: exactly as close to two people). Rule mean, probe 135°: Bob 0.585786, Cy 0.585786.
final class HandComputedSearchTests: XCTestCase {
    func unit(_ degrees: Double) -> [Float] { [Float(cos(degrees * .pi / 180)), Float(sin(degrees * .pi / 180))] }
    func d(_ degrees: Double) -> Double { 2 - 2 * cos(degrees * .pi / 180) }

    func index() throws -> GalleryIndex {
        try GalleryIndex(
            dimension: 2, names: ["Ann", "Bob", "Cy"], faceIds: [1, 2, 3, 4], identityOfRow: [0, 0, 1, 2],
            vectors: unit(0) + unit(60) + unit(90) + unit(180))
    }

    func testRuleMin() throws {
        let results = try index().search([unit(10), unit(135)], rule: .min, k: 3)
        XCTAssertEqual(results[0].map(\.name), ["Ann", "Bob", "Cy"])
        XCTAssertEqual(results[0][0].distance, d(10), accuracy: 1e-6)
        XCTAssertEqual(results[0][0].faceId, 1)
        XCTAssertEqual(results[0][1].distance, d(80), accuracy: 1e-6)
        XCTAssertEqual(results[0][2].distance, d(170), accuracy: 1e-6)
        XCTAssertEqual(results[1][0].distance, d(45), accuracy: 1e-6)
        XCTAssertEqual(results[1][1].distance, d(45), accuracy: 1e-6)
        XCTAssertEqual(results[1][2].name, "Ann")
        XCTAssertEqual(results[1][2].distance, d(75), accuracy: 1e-6)
        XCTAssertEqual(results[1][2].faceId, 2)  // Ann's 60° face is the nearer one
    }

    func testRuleMean() throws {
        let results = try index().search([unit(10), unit(135)], rule: .mean, k: 2)
        XCTAssertEqual(results[0][0].name, "Ann")
        XCTAssertEqual(results[0][0].distance, d(20), accuracy: 1e-6)
        XCTAssertNil(results[0][0].faceId)
        XCTAssertEqual(results[1].map(\.distance)[0], d(45), accuracy: 1e-6)
        XCTAssertEqual(results[1].count, 2)
    }

    /// One probe alone takes the matrix-vector path (`GalleryIndex.searchOne`); a batch the matrix product:
    /// the same candidates either way, for both rules and every k.
    func testOneProbeAloneEqualsTheBatch() throws {
        let probes = [unit(10), unit(135), unit(300)]
        for rule in [MatchRule.min, .mean] {
            for k in 1...3 {
                let batch = try index().search(probes, rule: rule, k: k)
                for (probe, expected) in zip(probes, batch) {
                    let alone = try index().search([probe], rule: rule, k: k)[0]
                    XCTAssertEqual(alone.map(\.name), expected.map(\.name), "\(rule) k \(k)")
                    XCTAssertEqual(alone.map(\.faceId), expected.map(\.faceId), "\(rule) k \(k)")
                    for (a, b) in zip(alone, expected) { XCTAssertEqual(a.distance, b.distance, accuracy: 1e-6) }
                }
            }
        }
    }

    func testDecisionsReadFromTheTable() throws {
        let results = try index().search([unit(10), unit(135)], rule: .min, k: 2)
        let ratio = ThresholdInUse(score: .ratio, value: 0.8, origin: "test", rule: .min)
        let near = OpenSetDecision(candidates: results[0], threshold: ratio)
        XCTAssertEqual(near.name, "Ann")
        XCTAssertEqual(near.score, d(10) / d(80), accuracy: 1e-6)
        XCTAssertEqual(near.confidence, (0.8 - d(10) / d(80)) / 0.8, accuracy: 1e-6)
        let tie = OpenSetDecision(candidates: results[1], threshold: ratio)
        XCTAssertNil(tie.name)  // ratio 1 > 0.8: unknown, although the raw distance is small
        XCTAssertEqual(tie.score, 1, accuracy: 1e-6)
        XCTAssertEqual(tie.confidence, 1, accuracy: 1e-6)  // at the top of the ratio's range
        // The raw distance with threshold 0.6 names the tie's nearest instead.
        let distance = ThresholdInUse(score: .distance, value: 0.6, origin: "test", rule: .min)
        XCTAssertNotNil(OpenSetDecision(candidates: results[1], threshold: distance).name)
        XCTAssertNil(OpenSetDecision(candidates: [], threshold: distance).name)
        let wide = try index().search([unit(10)], rule: .min, k: OpenSetScore.cohort.candidatesNeeded)[0]
        XCTAssertEqual(wide.count, 3)  // all the gallery has
        let cohort = OpenSetDecision(candidates: wide, threshold: ThresholdInUse(score: .cohort, value: 0.5, origin: "test", rule: .min))
        XCTAssertEqual(cohort.score, d(10) / ((d(80) + d(170) + 4 + 4) / 4), accuracy: 1e-6)
        XCTAssertEqual(cohort.score, 0.008922, accuracy: 1e-6)
        XCTAssertEqual(cohort.name, "Ann")
    }

    /// Calibration: strangers' scores sorted 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0 (n = 10).
    /// FAR 0.1: m = 1, threshold just below s[1] = 0.2: accepts {0.1}, realised 0.1.
    /// FAR 0.05: m = 0, threshold just below 0.1: accepts nothing. FAR 0.25: m = 2, below 0.3: accepts 2 (0.2).
    func testCalibrationTable() throws {
        let scores = [0.5, 0.1, 0.9, 0.3, 0.2, 1.0, 0.7, 0.4, 0.6, 0.8]
        let at10 = try XCTUnwrap(Calibration.threshold(strangerScores: scores, far: 0.1))
        XCTAssertEqual(at10.threshold, 0.2.nextDown)
        XCTAssertEqual(at10.falseAlarmRate, 0.1)
        XCTAssertEqual(try XCTUnwrap(Calibration.threshold(strangerScores: scores, far: 0.05)).falseAlarmRate, 0)
        XCTAssertEqual(try XCTUnwrap(Calibration.threshold(strangerScores: scores, far: 0.25)).falseAlarmRate, 0.2)
        // Ties: with scores 0.1 0.2 0.2 0.2 (n = 4) at FAR 0.5, m = 2, just below 0.2 accepts only 0.1.
        XCTAssertEqual(try XCTUnwrap(Calibration.threshold(strangerScores: [0.2, 0.1, 0.2, 0.2], far: 0.5)).falseAlarmRate, 0.25)
        XCTAssertNil(Calibration.threshold(strangerScores: [], far: 0.1))
    }
}
