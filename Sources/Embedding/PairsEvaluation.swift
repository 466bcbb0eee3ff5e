import Eval
import Foundation
import Support
import TorchBridge

/// `facenet eval`: embeds every distinct image a pairs file names (once per model), then runs the 10-fold
/// verification protocol and writes `summary.json`, `roc.csv`, `roc.svg` and `roc.png`.
public struct PairsEvaluation {
    /// How the mirrored face's embedding joins the original's (davidsandberg's `--use_flipped_images`
    /// concatenates them: 2D dimensions, not renormalised).
    public enum Flip: String, Sendable, CaseIterable {
        case none, concat, sum
    }

    public var alignedRoot: String
    public var pairsPath: String
    public var outputDirectory: String
    public var distance: DistanceMetric = .euclidean
    public var flip: Flip = .none
    public var subtractMean = false
    public var missing: MissingImagePolicy = .skip
    public var logFAR = false
    public var batchSize = 64
    /// Image file extensions tried in order for each pair member (aligned crops are PNG).
    public var extensions = ["png", "jpg", "jpeg"]

    public init(alignedRoot: String, pairsPath: String, outputDirectory: String) {
        self.alignedRoot = alignedRoot
        self.pairsPath = pairsPath
        self.outputDirectory = outputDirectory
    }

    public struct Outcome {
        public let report: EvaluationReport
        public let files: [String]
        public let table: String
        /// Pairs left out (an image missing or unreadable): the command then exits `ExitStatus.someSkipped`.
        public let skippedPairs: Int
    }

    /// The files `run` writes into `outputDirectory`.
    public static let outputNames = [
        ReportFiles.summaryName, ReportFiles.rocCSVName, ReportFiles.rocSVGName, ReportFiles.rocPNGName,
    ]

    public func run(embedder: Embedder, log: (String) -> Void = { print($0) }) throws -> Outcome {
        try run(makeEmbedder: { embedder }, log: log)
    }

    /// The same, building the embedder (loading the model) only after the pairs file has been read and
    /// its images found, so that a bad pairs file is reported at once.
    public func run(makeEmbedder: () throws -> Embedder, log: (String) -> Void = { print($0) }) throws -> Outcome {
        let pairsFile = try PairsFile(contentsOf: pairsPath)
        let resolved = try pairsFile.resolve(
            with: .directory(alignedRoot, extensions: extensions), missing: missing)
        if let skipped = resolved.skipReport() { log(skipped) }
        let embedder = try makeEmbedder()
        log("eval: \(resolved.pairs.count) pairs over \(resolved.images.count) images from \(alignedRoot)")

        var embedding = FileEmbedding()
        embedding.batchSize = batchSize
        embedding.flip = flip != .none
        let imageFiles = resolved.images.map { (alignedRoot as NSString).appendingPathComponent($0) }
        let result = try embedding.run(imageFiles, embedder: embedder, label: "eval embed", log: log)
        let failedImages = result.failures.map { (path: imageFiles[$0.index], reason: $0.reason) }
        // An image that exists but cannot be decoded is treated as a missing one: its pairs are skipped and
        // reported (or, with `missing: .fail`, the evaluation stops naming them).
        if !failedImages.isEmpty && missing == .fail {
            throw UserError(
                "\(failedImages.count) images named by \(pairsPath) could not be read: "
                    + failedImages.prefix(5).map { "\($0.path) (\($0.reason))" }.joined(separator: "; "))
        }
        let (kept, rowMap) = resolved.dropping(
            unreadable: Dictionary(uniqueKeysWithValues: result.failures.map { ($0.index, $0.reason) }))
        if !failedImages.isEmpty, let skipped = kept.skipReport() { log(skipped) }
        let rows: [[Float]] = rowMap.map { old in
            let row = result.rows[old]!
            switch flip {
            case .none: return row[0]
            case .concat: return row[0] + row[1]
            case .sum: return zip(row[0], row[1]).map { $0 + $1 }
            }
        }

        return try evaluate(
            rows: rows, resolved: kept, pairsFile: pairsFile, model: embedder.description.name,
            settings: [
                .init("aligned_root", .string(alignedRoot)), .init("flip", .string(flip.rawValue)),
                .init("preprocessing", .string(embedder.description.preprocessing.rawValue)),
                .init("image_size", .int(embedder.description.inputSize)),
                .init("embedding_seconds", .number(result.seconds)),
            ])
    }

    /// Evaluates embeddings computed elsewhere (`facenet embed`, or another runtime writing the same HDF5
    /// layout): each image of the pairs file is looked up among the file's paths. `flip` does not apply.
    public func run(embeddings file: EmbeddingFile, source: String, log: (String) -> Void = { print($0) }) throws -> Outcome {
        guard flip == .none else { throw UserError("--flip needs the images: it cannot be used with --embeddings") }
        let pairsFile = try PairsFile(contentsOf: pairsPath)
        let resolved = try pairsFile.resolve(
            with: .listed(file.paths, extensions: extensions, source: source), missing: missing)
        if let skipped = resolved.skipReport() { log(skipped) }
        log("eval: \(resolved.pairs.count) pairs over \(resolved.images.count) embeddings from \(source)")
        let row = Dictionary(file.paths.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = resolved.images.map { Array(file.embedding(row[$0]!)) }
        return try evaluate(
            rows: rows, resolved: resolved, pairsFile: pairsFile, model: file.model,
            settings: [
                .init("embeddings", .string(source)), .init("flip", .string(flip.rawValue)),
                .init("preprocessing", .string(file.preprocessing)), .init("image_size", .int(file.imageSize)),
            ])
    }

    /// Metrics, report files and the terminal table for embeddings in the order of `resolved.images`.
    func evaluate(
        rows: [[Float]], resolved: ResolvedPairs, pairsFile: PairsFile, model: String, settings settingsJSON: [JSONValue.Member]
    ) throws -> Outcome {
        var settings = EvaluationSettings(distance: distance, subtractMean: subtractMean)
        settings.foldScheme = FoldScheme.suggested(for: pairsFile.layout)
        // davidsandberg's flipped evaluation keeps the concatenation as it is (distances in [0, 8]).
        settings.normalize = flip != .concat
        let report = try Verification.evaluate(
            embeddings: EmbeddingMatrix(rows: rows), pairs: resolved.indices, isSame: resolved.isSame,
            settings: settings)

        let accounting = PairAccounting(resolved)
        var chart = ChartOptions()
        chart.logFAR = logFAR
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var written = try ReportFiles.write(
            report, model: model, settings: settingsJSON, pairs: accounting, chart: chart, to: outputDirectory)
        let png = (outputDirectory as NSString).appendingPathComponent(ReportFiles.rocPNGName)
        try PNGRenderer.write(ROCChart.layout([ROCSeries(report: report, label: model)], options: chart), to: png)
        written.append(png)
        return Outcome(
            report: report, files: written, table: TerminalTable.render(report, model: model, pairs: accounting),
            skippedPairs: resolved.skipped.count)
    }
}
