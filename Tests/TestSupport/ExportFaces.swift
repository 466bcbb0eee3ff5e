import Foundation
import Support
import XCTest

/// Comparisons and runtimes for the export agreement tests (faces: `LFWFaces`).
public enum ExportFaces {
    /// Per-face cosine similarity of two runs' L2-normalised embeddings, and the largest absolute difference.
    public static func compare(_ a: [Float], _ b: [Float], dimension: Int) -> (cosines: [Double], maxAbs: Double) {
        precondition(a.count == b.count && a.count % dimension == 0)
        var cosines: [Double] = []
        var worst = 0.0
        for i in 0..<(a.count / dimension) {
            var dot = 0.0, na = 0.0, nb = 0.0
            for k in (i * dimension)..<((i + 1) * dimension) {
                let (x, y) = (Double(a[k]), Double(b[k]))
                dot += x * y
                na += x * x
                nb += y * y
                worst = max(worst, abs(x - y))
            }
            cosines.append(dot / (na * nb).squareRoot())
        }
        return (cosines, worst)
    }

    /// Runs a .tflite file in LiteRT (Tests/python/litert_embed.py) on inputs back to back; returns its
    /// outputs and the script's JSON summary.
    public static func runLiteRT(model: String, inputs: [Float], folder: TemporaryFolder) throws -> ([Float], [String: Any]) {
        let inPath = folder.file("inputs-\(UUID().uuidString).f32")
        let outPath = folder.file("outputs-\(UUID().uuidString).f32")
        try inputs.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inPath)) }
        let output = try Reference.run(
            python: FacenetHome.runtimesPython, script: "litert_embed.py", arguments: [model, inPath, outPath, "--threads", "2"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let data = try Data(contentsOf: URL(fileURLWithPath: outPath))
        return (data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, summary)
    }

    /// Runs an .onnx file in ONNX Runtime (Tests/python/onnx_embed.py), `batch` inputs at a time; returns its
    /// outputs and the script's JSON summary.
    public static func runONNX(model: String, inputs: [Float], batch: Int, folder: TemporaryFolder) throws -> ([Float], [String: Any]) {
        let inPath = folder.file("inputs-\(UUID().uuidString).f32")
        let outPath = folder.file("outputs-\(UUID().uuidString).f32")
        try inputs.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inPath)) }
        let output = try Reference.run(
            python: FacenetHome.runtimesPython, script: "onnx_embed.py",
            arguments: [model, inPath, outPath, "--batch", "\(batch)", "--threads", "2"])
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let data = try Data(contentsOf: URL(fileURLWithPath: outPath))
        return (data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, summary)
    }
}
