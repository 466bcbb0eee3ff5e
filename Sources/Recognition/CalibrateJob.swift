import Foundation
import Gallery
import Support
import Vision

/// `facenet gallery calibrate`: the open-set threshold from photos of people who are not in the gallery.
/// The main face of each photo (as align keeps) is searched; the scores give the threshold at the target
/// false-alarm rate (`Calibration`), stored with its origin.
public struct CalibrateJob {
    public var strangers: [String]
    public var far: Double
    public var rule: MatchRule = OpenSetDefaults.rule
    public var score: OpenSetScore = OpenSetDefaults.threshold.score
    public var source: String

    public init(strangers: [String], far: Double, source: String) {
        self.strangers = strangers
        self.far = far
        self.source = source
    }

    public func run(pipeline: FacePipeline, index: any FaceSearch, log: (String) -> Void) throws -> (StoredThreshold, Calibration.Result) {
        var embeddings: [[Float]] = []
        _ = try PhotoFacesJob(photos: strangers, faces: .main).run(
            pipeline: pipeline, label: "calibrate", emit: { embeddings += $0.embeddings }, log: log)
        let results = try index.search(embeddings, rule: rule, k: score.candidatesNeeded)
        let scores = results.filter { !$0.isEmpty }.map { score.value($0.map(\.distance)) }
        guard let result = Calibration.threshold(strangerScores: scores, far: far) else {
            throw UserError("no stranger face found in \(source): cannot calibrate")
        }
        let date = ISO8601DateFormatter().string(from: Date())
        let origin = String(
            format: "calibrated on %d stranger faces from %@ at FAR %.4g (realised %.4g), rule %@, %@", result.strangers,
            source, far, result.falseAlarmRate, rule.rawValue, date)
        return (ThresholdInUse(score: score, value: result.threshold, origin: origin, rule: rule).stored, result)
    }
}
