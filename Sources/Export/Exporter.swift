import Foundation
import Models
import Support

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
    public static let supported: [(ExportFormat, ExportPrecision)] = [(.tflite, .fp32), (.tflite, .fp16), (.onnx, .fp32)]

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

    /// Lowers `network` to a TFLite model (float32, or float16 weights) and writes it atomically to `path`.
    public static func exportTFLite(
        _ network: InceptionResNetV1, precision: ExportPrecision = .fp32, metadata: [String: Any] = [:], to path: String
    ) throws -> ExportReport {
        let start = Date()
        var model = try FaceNetLowering.lower(network, metadata: metadata.merging(["precision": precision.rawValue]) { a, _ in a })
        switch precision {
        case .fp32: break
        case .fp16: model = Float16Weights.convert(model)
        case .int8: throw UserError("export to tflite at int8 is not implemented yet")
        }
        let bytes = TFLiteWriter.serialize(model)
        try AtomicFile.write(Data(bytes), to: path)
        return ExportReport(
            path: path, bytes: bytes.count, operators: model.operators.count, tensors: model.tensors.count,
            seconds: Date().timeIntervalSince(start))
    }
}
