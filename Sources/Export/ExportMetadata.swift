import Foundation
import Support

/// What an exported file records beyond the model's description (`facenet_model_info` in TFLite, metadata
/// properties in ONNX): the precision and, from a `facenet eval` summary.json of the same weights, their
/// verification accuracy and the distance threshold to use with them.
public enum ExportMetadata {
    public static func entries(precision: ExportPrecision, evaluationSummary path: String?) throws -> [String: Any] {
        var entries: [String: Any] = ["precision": precision.rawValue]
        guard let path else { return entries }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserError("--evaluation \(path): cannot read the file")
        }
        guard let summary = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let accuracy = summary["accuracy"] as? Double, let threshold = summary["best_threshold"] as? Double
        else {
            throw UserError("--evaluation \(path): not a facenet eval summary.json (no 'accuracy' and 'best_threshold')")
        }
        entries["lfw_accuracy"] = accuracy
        entries["lfw_threshold"] = threshold
        if let std = summary["accuracy_std"] as? Double { entries["lfw_accuracy_std"] = std }
        if let val = summary["val"] as? Double { entries["lfw_val"] = val }
        if let far = summary["far"] as? Double { entries["lfw_far"] = far }
        if let pairs = summary["pairs_file"] as? String { entries["lfw_pairs_file"] = (pairs as NSString).lastPathComponent }
        if let proto = summary["protocol"] as? [String: Any], let distance = proto["distance"] as? String {
            entries["distance"] = distance
        }
        entries["lfw_evaluated_model"] = summary["model"] as? String ?? ""
        return entries
    }
}
