import Foundation
import Gallery
import Recognition
import Support
import XCTest

/// A gallery's threshold is read with the match rule it was set for: the stored JSON of a gallery written
/// before the rule was recorded (no `rule` member) reads as mean, what its default and `gallery calibrate`
/// used; a rule this version does not know is an error naming the gallery and the allowed rules.
final class ThresholdRuleTests: XCTestCase {
    func decoded(_ json: String) throws -> StoredThreshold { try JSONDecoder().decode(StoredThreshold.self, from: Data(json.utf8)) }

    func testStoredRulesAndGalleriesWithoutOne() throws {
        let old = try decoded(#"{"score": "cohort", "value": 0.61, "origin": "default (uncalibrated)"}"#)
        XCTAssertNil(old.rule)
        XCTAssertEqual(try ThresholdInUse(old, gallery: "g.db").rule, .mean)
        let min = try decoded(#"{"score": "ratio", "value": 0.7, "origin": "calibrated", "rule": "min"}"#)
        XCTAssertEqual(try ThresholdInUse(min, gallery: "g.db"), ThresholdInUse(score: .ratio, value: 0.7, origin: "calibrated", rule: .min))
        // Written back, the rule is kept; an override keeps score and rule.
        XCTAssertEqual(try ThresholdInUse(min, gallery: "g.db").stored, min)
        XCTAssertEqual(try ThresholdInUse(min, gallery: "g.db").with(value: 0.5, origin: "cli").rule, .min)
        let newer = try decoded(#"{"score": "ratio", "value": 0.7, "origin": "x", "rule": "median"}"#)
        XCTAssertThrowsError(try ThresholdInUse(newer, gallery: "g.db")) {
            XCTAssertEqual(($0 as? UserError)?.message, "g.db: threshold rule 'median' is not one of [\"min\", \"mean\"]")
        }
        XCTAssertEqual(OpenSetDefaults.stored.rule, "mean")
    }
}
