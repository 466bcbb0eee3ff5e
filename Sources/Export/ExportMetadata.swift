import Foundation
import Support

/// What an exported file records beyond the model's description (`facenet_model_info` in TFLite, metadata
/// properties in ONNX): the precision, for int8 how it was calibrated, and, from a `facenet eval` summary.json
/// of the same weights, their verification accuracy and the distance threshold to use with them.
///
/// Forms: `entries` / `quantization` give `[String: Any]` (numbers stay numbers) that `FaceNetLowering.lower`
/// merges into the model's JSON; `json(_:)` is that JSON text; `strings(_:)` is the `[String: String]` form for
/// key-value stores such as ONNX `metadata_props` (strings as they are, anything else as its JSON text).
public enum ExportMetadata {
    public static func entries(precision: ExportPrecision, evaluationSummary path: String?) throws -> [String: Any] {
        var entries: [String: Any] = ["precision": precision.rawValue]
        guard let path else { return entries }
        let data = try InputFile.data(path, what: "--evaluation")
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

    /// The int8 entries: the rule in words, the calibration rule (`min-max`: the plain range seen, no
    /// percentile clipping), how many faces and from which folder (its last path component).
    public static func quantization(calibrationFaces count: Int, folder: String) -> [String: Any] {
        [
            "quantization":
                "full integer int8 (TFLite quantization spec): activations per tensor, asymmetric, ranges = min/max over "
                + "\(count) calibration faces; weights symmetric per output channel (CONV_2D) or per tensor "
                + "(FULLY_CONNECTED); biases int32 (scale = input scale x weight scale); float32 input and output",
            "calibration_rule": "min-max",
            "calibration_faces": count,
            "calibration_folder": (folder as NSString).lastPathComponent,
        ]
    }

    /// The JSON text of `entries`, keys sorted.
    public static func json(_ entries: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `entries` as strings: a string as it is, a number or anything else as its JSON text (`0.993`, `200`).
    public static func strings(_ entries: [String: Any]) -> [String: String] {
        entries.mapValues { value in
            if let s = value as? String { return s }
            if let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) {
                return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
            }
            return "\(value)"
        }
    }
}
