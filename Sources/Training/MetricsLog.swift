import Eval
import Foundation
import Support
import Vision

/// One optimizer step's numbers.
public struct StepRecord: Codable, Sendable {
    public var step: Int
    public var epoch: Int
    public var outerBatch: Int
    public var loss: Double
    public var triplets: Int
    public var activeFraction: Double
    public var meanAP: Double
    public var meanAN: Double
    public var learningRate: Double
    public var imagesPerSecond: Double
    public var elapsedSeconds: Double
    /// Several ranks: seconds the step waited after backward for the gradients' all-reduce (the part the
    /// backward pass did not hide); nil in one process.
    public var reduceSeconds: Double? = nil

    enum CodingKeys: String, CodingKey {
        case step, epoch, loss, triplets
        case outerBatch = "outer_batch", activeFraction = "active_fraction", meanAP = "mean_ap", meanAN = "mean_an"
        case learningRate = "learning_rate", imagesPerSecond = "images_per_second", elapsedSeconds = "elapsed_seconds"
        case reduceSeconds = "reduce_seconds"
    }
}

/// A validation run's numbers.
public struct ValidationRecord: Codable, Sendable {
    public var step: Int
    public var accuracy: Double
    public var accuracyStd: Double
    public var val: Double
    public var far: Double
    public var auc: Double

    enum CodingKeys: String, CodingKey {
        case step, accuracy, val, far, auc
        case accuracyStd = "accuracy_std"
    }
}

/// Appends every step to `metrics.csv` and `metrics.jsonl`, validations to `validation.csv` and
/// `metrics.jsonl`, and redraws `curves.png` (loss and validation accuracy against the step).
public final class MetricsLog {
    public let directory: String
    private(set) var steps: [StepRecord] = []
    private(set) var validations: [ValidationRecord] = []

    public init(directory: String, resumedAt step: Int?) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let step {
            // Keep what the earlier run logged up to the checkpoint; drop steps after it (they are redone).
            steps = try Self.readJSONL(directory + "/metrics.jsonl", kind: "step", as: StepRecord.self).filter { $0.step <= step }
            validations = try Self.readJSONL(directory + "/metrics.jsonl", kind: "validation", as: ValidationRecord.self)
                .filter { $0.step <= step }
        }
        try rewrite()
    }

    public var lastValidation: ValidationRecord? { validations.last }
    public var stepRecords: [StepRecord] { steps }

    public func record(_ step: StepRecord) throws {
        steps.append(step)
        try append(csv: "metrics.csv", header: Self.stepHeader, line: Self.csvLine(step))
        try append(jsonl: step, kind: "step")
    }

    public func record(_ validation: ValidationRecord) throws {
        validations.append(validation)
        try append(csv: "validation.csv", header: "step,accuracy,accuracy_std,val,far,auc", line: String(
            format: "%d,%.6f,%.6f,%.6f,%.6f,%.6f", validation.step, validation.accuracy, validation.accuracyStd,
            validation.val, validation.far, validation.auc))
        try append(jsonl: validation, kind: "validation")
        try drawCurves()
    }

    /// Redraws `curves.png` and `curves.svg`.
    public func drawCurves() throws {
        // A running mean over 20 steps keeps the loss curve readable.
        var smoothed: [(x: Double, y: Double)] = []
        var window: [Double] = []
        for s in steps {
            window.append(s.loss)
            if window.count > 20 { window.removeFirst() }
            smoothed.append((Double(s.step), window.reduce(0, +) / Double(window.count)))
        }
        let loss = LineChart.layout(
            [LineChart.Series(label: "triplet loss (mean of 20 steps)", points: smoothed)], title: "Training loss",
            xLabel: "step", yLabel: "loss")
        let accuracy = LineChart.layout(
            [LineChart.Series(label: "validation accuracy", points: validations.map { (Double($0.step), $0.accuracy) })],
            title: "Validation accuracy (10-fold)", xLabel: "step", yLabel: "accuracy")
        let top = PNGRenderer.render(loss)
        let bottom = PNGRenderer.render(accuracy)
        var pixels = top.pixels
        pixels += bottom.pixels
        let both = Vision.Image(width: top.width, height: top.height + bottom.height, pixels: pixels)
        try both.writePNG(to: directory + "/curves.png")
    }

    static let stepHeader =
        "step,epoch,outer_batch,loss,triplets,active_fraction,mean_ap,mean_an,learning_rate,images_per_second,elapsed_seconds,reduce_seconds"

    static func csvLine(_ s: StepRecord) -> String {
        String(
            format: "%d,%d,%d,%.6f,%d,%.4f,%.6f,%.6f,%.6g,%.2f,%.1f,%@", s.step, s.epoch, s.outerBatch, s.loss, s.triplets,
            s.activeFraction, s.meanAP, s.meanAN, s.learningRate, s.imagesPerSecond, s.elapsedSeconds,
            s.reduceSeconds.map { String(format: "%.4f", $0) } ?? "")
    }

    private func rewrite() throws {
        try AtomicFile.write(Data((([Self.stepHeader] + steps.map(Self.csvLine)).joined(separator: "\n") + "\n").utf8), to: directory + "/metrics.csv")
        var lines: [String] = []
        for s in steps { lines.append(try Self.jsonLine(s, kind: "step")) }
        for v in validations { lines.append(try Self.jsonLine(v, kind: "validation")) }
        try AtomicFile.write(Data(lines.map { $0 + "\n" }.joined().utf8), to: directory + "/metrics.jsonl")
    }

    private func append(csv name: String, header: String, line: String) throws {
        let path = directory + "/" + name
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: Data((header + "\n").utf8)) }
        try appendLine(line, to: path)
    }

    private func append<T: Encodable>(jsonl value: T, kind: String) throws {
        try appendLine(try Self.jsonLine(value, kind: kind), to: directory + "/metrics.jsonl")
    }

    private func appendLine(_ line: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw UserError("cannot append to \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
    }

    static func jsonLine<T: Encodable>(_ value: T, kind: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var text = String(decoding: try encoder.encode(value), as: UTF8.self)
        text.removeFirst()
        return "{\"kind\":\"\(kind)\"," + text
    }

    static func readJSONL<T: Decodable>(_ path: String, kind: String, as type: T.Type) throws -> [T] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { line in
            guard line.contains("\"kind\":\"\(kind)\"") else { return nil }
            return try? decoder.decode(T.self, from: Data(line.utf8))
        }
    }
}
