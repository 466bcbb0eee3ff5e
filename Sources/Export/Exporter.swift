import Embedding
import Foundation
import Models
import Support
import TorchBridge
import Vision

/// File formats `facenet export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case tflite
    case onnx
}

/// Numeric precision of an exported model.
public enum ExportPrecision: String, CaseIterable, Sendable {
    case fp32
    case fp16
    case int8
}

/// What an export wrote.
public struct ExportReport: Sendable {
    public let path: String
    public let bytes: Int
    public let operators: Int
    public let tensors: Int
    public let seconds: Double
}

/// Writes a FaceNet model for deployment runtimes. Everything a user can get wrong is checked before any
/// file is touched, and the file appears only complete (temporary file, then rename).
public enum Exporter {
    /// The (format, precision) pairs implemented so far.
    public static let supported: [(ExportFormat, ExportPrecision)] = [(.tflite, .fp32), (.tflite, .fp16), (.tflite, .int8), (.onnx, .fp32)]

    /// Parses and checks the user's choices; throws a `UserError` naming the bad value.
    public static func validate(format: String, precision: String) throws -> (ExportFormat, ExportPrecision) {
        guard let f = ExportFormat(rawValue: format.lowercased()) else {
            throw UserError(
                "unknown export format '\(format)': expected one of \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let p = ExportPrecision(rawValue: precision.lowercased()) else {
            throw UserError(
                "unknown precision '\(precision)': expected one of \(ExportPrecision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard supported.contains(where: { $0 == (f, p) }) else {
            let available = supported.map { "\($0.0.rawValue) \($0.1.rawValue)" }.joined(separator: ", ")
            throw UserError("export to \(f.rawValue) at \(p.rawValue) is not implemented yet (available: \(available))")
        }
        return (f, p)
    }

    /// Lowers `network` to a TFLite model (float32, float16 weights, or full int8 calibrated on `calibration`)
    /// and writes it atomically to `path` (`AtomicFile`: a temporary file beside it, then a rename).
    public static func exportTFLite(
        _ network: any FaceEmbeddingModel, precision: ExportPrecision = .fp32, metadata: [String: Any] = [:],
        calibration: CalibrationFaces? = nil, log: (String) -> Void = { _ in }, to path: String
    ) throws -> ExportReport {
        let start = Date()
        let model = try tfliteModel(network, precision: precision, metadata: metadata, calibration: calibration, log: log)
        let bytes = TFLiteWriter.serialize(model)
        try AtomicFile.write(Data(bytes), to: path)
        return ExportReport(
            path: path, bytes: bytes.count, operators: model.operators.count, tensors: model.tensors.count,
            seconds: Date().timeIntervalSince(start))
    }

    /// The TFLite graph `exportTFLite` writes: the float32 lowering (unchanged for fp32), with float16 weights,
    /// or quantised to int8 with activation ranges from the calibration faces run through the float graph.
    public static func tfliteModel(
        _ network: any FaceEmbeddingModel, precision: ExportPrecision, metadata: [String: Any] = [:],
        calibration: CalibrationFaces? = nil, log: (String) -> Void = { _ in }
    ) throws -> TFLiteModel {
        var info = metadata.merging(["precision": precision.rawValue]) { a, _ in a }
        var faces: [Image] = []
        if precision == .int8 {
            guard let calibration else { throw UserError("int8 export needs calibration faces (--calibration DIR)") }
            let loaded = try calibration.load(size: network.description.inputSize)
            for (file, reason) in loaded.skipped { log("calibration: skipped \(file): \(reason)") }
            faces = loaded.faces
            info.merge(ExportMetadata.quantization(calibrationFaces: faces.count, folder: calibration.folder)) { _, q in q }
        }
        let model = try FaceNetLowering.lower(network, metadata: info)
        switch precision {
        case .fp32: return model
        case .fp16: return Float16Weights.convert(model)
        case .int8:
            var interpreter = try FloatGraphInterpreter(model)
            try withNoGrad {
                for first in stride(from: 0, to: faces.count, by: 32) {
                    let chunk = Array(faces[first..<min(faces.count, first + 32)])
                    _ = try interpreter.run(FaceBatch.tensor(chunk, description: network.description).contiguous())
                }
            }
            log("calibration: ranges of \(interpreter.ranges.count) tensors from \(faces.count) faces")
            return try Int8Quantization.quantize(model, ranges: interpreter.ranges)
        }
    }
}
