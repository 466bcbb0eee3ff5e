import Eval
import Foundation
import Support

/// The 1:1 threshold of `facenet verify`: two faces are the same person when their distance is below it
/// (eval's rule, davidsandberg's `np.less(dist, threshold)`). It comes from an evaluation of the same
/// model, never from a gallery's open-set threshold.
public struct PairThreshold: Equatable, Sendable {
    public let value: Double
    public let origin: String

    public init(value: Double, origin: String) {
        self.value = value
        self.origin = origin
    }

    /// The pretrained model's LFW View 2 threshold with `facenet align`'s crops (docs/results.md: 1.18,
    /// accuracy 0.9930, measured 2026-11-24); valid only for that model.
    public static let pretrainedLFW = PairThreshold(
        value: 1.18, origin: "LFW View 2 best threshold of the pretrained 20170512-110547 with facenet align crops (docs/results.md)")

    /// From a `facenet eval` summary.json: its best threshold, or with `far` the largest ROC threshold (from the
    /// roc.csv beside it) whose false-accept rate is at most `far`.
    public static func fromEvaluation(summary path: String, far: Double?) throws -> PairThreshold {
        let data = try InputFile.data(path, what: "--evaluation")
        guard let summary = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let best = summary["best_threshold"] as? Double
        else { throw UserError("--evaluation \(path): not a facenet eval summary.json (no 'best_threshold')") }
        guard let far else { return PairThreshold(value: best, origin: "best threshold of \(path)") }
        guard far > 0, far < 1 else { throw UserError("--far must be in (0, 1), got \(far)") }
        let csv = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(ReportFiles.rocCSVName)
        let points = try ReportFiles.readROCCSV(csv).filter { $0.far <= far && $0.threshold.isFinite }
        guard let chosen = points.max(by: { $0.threshold < $1.threshold }) else {
            throw UserError("\(csv) has no ROC point with a false-accept rate at most \(far)")
        }
        return PairThreshold(
            value: chosen.threshold,
            origin: String(format: "ROC of %@ at FAR %.4g (true-accept rate %.4f)", path, chosen.far, chosen.tpr))
    }
}
