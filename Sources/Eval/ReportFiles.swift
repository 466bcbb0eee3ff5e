import Foundation
import Support

/// Where the evaluated pairs came from, for the summary: the file, its size and what was skipped.
public struct PairAccounting: Sendable {
    public let pairsFile: String
    public let layout: PairsLayout
    public let pairsInFile: Int
    public let skipped: [SkippedPair]

    public init(_ resolved: ResolvedPairs) {
        pairsFile = resolved.file.path
        layout = resolved.file.layout
        pairsInFile = resolved.file.pairs.count
        skipped = resolved.skipped
    }
}

/// `summary.json` and `roc.csv`: what they hold is listed in docs/evaluation.md.
public enum ReportFiles {
    public static let summaryName = "summary.json"
    public static let rocCSVName = "roc.csv"
    public static let rocSVGName = "roc.svg"
    /// Written by the caller (`PNGRenderer`), beside the others.
    public static let rocPNGName = "roc.png"

    /// Every metric of `report` plus the caller's `settings` (model path, flip mode, ...), in a fixed key order.
    public static func summary(
        _ report: EvaluationReport, model: String, settings: [JSONValue.Member] = [], pairs: PairAccounting? = nil
    ) -> JSONValue {
        let s = report.settings
        var members: [JSONValue.Member] = [
            .init("model", .string(model)),
            .init("accuracy", .number(report.accuracy)),
            .init("accuracy_std", .number(report.accuracyStd)),
            .init("val", .number(report.val)),
            .init("val_std", .number(report.valStd)),
            .init("far", .number(report.far)),
            .init("far_target", .number(s.farTarget)),
            .init("auc", .number(report.auc)),
            .init("auc_grid", .number(report.aucGrid)),
            .init("eer", .number(report.eer)),
            .init("eer_threshold", .number(report.roc.eerThreshold)),
            .init("best_threshold", .number(report.bestThreshold)),
            .init("best_threshold_accuracy", .number(report.bestThresholdAccuracy)),
            .init("threshold_per_fold", .numbers(report.thresholdPerFold)),
            .init("accuracy_per_fold", .numbers(report.accuracyPerFold)),
            .init("val_threshold_per_fold", .numbers(report.valThresholdPerFold)),
            .init("val_per_fold", .numbers(report.valPerFold)),
            .init("far_per_fold", .numbers(report.farPerFold)),
            .init("pairs", .int(report.pairs)),
            .init("matched_pairs", .int(report.matched)),
            .init("mismatched_pairs", .int(report.mismatched)),
        ]
        if let pairs {
            members += [
                .init("pairs_file", .string(pairs.pairsFile)),
                .init("pairs_layout", .string(pairs.layout.description)),
                .init("pairs_in_file", .int(pairs.pairsInFile)),
                .init("skipped_pairs", .int(pairs.skipped.count)),
                .init(
                    "skipped",
                    .array(
                        pairs.skipped.map {
                            [
                                "line": .int($0.pair.line), "missing": .array($0.missing.map { .string($0.stem) }),
                                "unreadable": .array($0.unreadable.map { .string($0.image) }),
                            ]
                        })),
            ]
        }
        members += [
            .init(
                "protocol",
                [
                    "source": "davidsandberg/facenet src/lfw.py evaluate, src/facenet.py calculate_roc/calculate_val",
                    "folds": .int(s.folds),
                    "fold_scheme": .string(s.foldScheme.rawValue),
                    "distance": .string(s.distance.rawValue),
                    "normalize": .bool(s.normalize),
                    "subtract_mean": .bool(s.subtractMean),
                    "accuracy_grid": .numbers([s.accuracyGrid.start, s.accuracyGrid.stop, s.accuracyGrid.step]),
                    "validation_grid": .numbers([s.validationGrid.start, s.validationGrid.stop, s.validationGrid.step]),
                ]),
            .init("settings", .object(settings)),
            .init("files", ["roc_csv": .string(rocCSVName), "roc_svg": .string(rocSVGName)]),
        ]
        return .object(members)
    }

    /// `far,tpr,threshold` rows of the exact ROC (accept `distance <= threshold`; the first row's threshold is
    /// `-inf`). Numbers are written in full precision.
    public static func rocCSV(_ roc: ROCCurve) -> String {
        var text = "far,tpr,threshold\n"
        for p in roc.points {
            let threshold = p.threshold == -.infinity ? "-inf" : "\(p.threshold)"
            text += "\(p.far),\(p.tpr),\(threshold)\n"
        }
        return text
    }

    /// Reads a `roc.csv` back (for `--compare`).
    public static func readROCCSV(_ path: String) throws -> [ROCPoint] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserError("cannot read the ROC file \(path)")
        }
        var points: [ROCPoint] = []
        for (offset, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            if offset == 0, line.hasPrefix("far") { continue }
            let fields = line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard fields.count == 3, let far = fields[0], let tpr = fields[1], let threshold = fields[2] else {
                throw UserError("\(path):\(offset + 1): expected `far,tpr,threshold` numbers, found `\(line)`")
            }
            points.append(ROCPoint(far: far, tpr: tpr, threshold: threshold))
        }
        guard !points.isEmpty else { throw UserError("\(path) holds no ROC points") }
        return points
    }

    /// Writes `summary.json`, `roc.csv` and `roc.svg` into `directory` (each atomically) and returns their paths.
    @discardableResult
    public static func write(
        _ report: EvaluationReport, model: String, settings: [JSONValue.Member] = [], pairs: PairAccounting? = nil,
        chart: ChartOptions = .init(), to directory: String
    ) throws -> [String] {
        let summaryPath = (directory as NSString).appendingPathComponent(summaryName)
        let csvPath = (directory as NSString).appendingPathComponent(rocCSVName)
        let svgPath = (directory as NSString).appendingPathComponent(rocSVGName)
        try AtomicFile.write(Data(rocCSV(report.roc).utf8), to: csvPath)
        let series = ROCSeries(report: report, label: model)
        try AtomicFile.write(Data(SVGRenderer.render(ROCChart.layout([series], options: chart)).utf8), to: svgPath)
        let json = summary(report, model: model, settings: settings, pairs: pairs)
        try AtomicFile.write(Data(json.serialized().utf8), to: summaryPath)
        return [summaryPath, csvPath, svgPath]
    }
}
