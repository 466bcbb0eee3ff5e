import ArgumentParser
import Embedding
import Eval
import Foundation
import Support

extension DistanceMetric: ExpressibleByArgument {}
extension PairsEvaluation.Flip: ExpressibleByArgument {}
extension MissingImagePolicy: ExpressibleByArgument {}

/// `facenet eval ALIGNED_DIR --pairs FILE --out DIR` (or `facenet eval --compare A.json B.json --out DIR`)
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "LFW-style pair verification: 10-fold accuracy, VAL@FAR, AUC, EER and ROC curves.",
        discussion: """
            Writes summary.json, roc.csv, roc.svg and roc.png into --out. Pairs whose image is missing or cannot be \
            decoded are skipped and reported (exit status 3), or with --missing fail stop the evaluation. With --compare, draws the ROC curves of \
            several earlier evaluations (their summary.json, with roc.csv beside each) on one chart instead.
            """
    )

    @Argument(help: "Aligned faces: <identity>/<identity>_<NNNN>.png as `facenet align` writes them.")
    var alignedDirectory: String?

    @Option(help: "Pairs file (LFW pairs.txt format).")
    var pairs: String?

    @Option(
        help: """
            Evaluate the embeddings in this HDF5 file (facenet embed's layout, docs/formats.md; e.g. written by \
            another runtime) instead of embedding ALIGNED_DIR.
            """)
    var embeddings: String?

    @Option(help: "Output folder for summary.json, roc.csv, roc.svg, roc.png.")
    var out: String

    @Option(help: "Distance: euclidean (squared, on L2-normalised embeddings) or cosine (angular).")
    var distance: DistanceMetric = .euclidean

    @Option(help: "Also embed each face mirrored: none, concat (as davidsandberg's --use_flipped_images) or sum.")
    var flip: PairsEvaluation.Flip = .none

    @Flag(help: "Subtract the mean embedding of the training folds (davidsandberg's --subtract_mean).")
    var subtractMean = false

    @Option(help: "Pairs whose image is missing: skip (reported) or fail.")
    var missing: MissingImagePolicy = .skip

    @Flag(help: "Draw the FAR axis on a log scale.")
    var logFAR = false

    @Flag(help: "With --compare: a DET chart, the miss rate (1 - TPR) against FAR, both on log axes.")
    var det = false

    @Option(help: "Faces per forward pass.")
    var batchSize = 64

    @Option(parsing: .upToNextOption, help: "summary.json files of earlier evaluations to draw on one chart.")
    var compare: [String] = []

    @Option(help: "With --compare: the chart's title.")
    var title: String?

    @Option(help: "With --compare: the horizontal axis's title.")
    var xTitle: String?

    @Option(help: "With --compare: the vertical axis's title.")
    var yTitle: String?

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precision: PrecisionOption
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        if compare.isEmpty && ((alignedDirectory == nil && embeddings == nil) || pairs == nil) {
            throw ValidationError("give ALIGNED_DIR (or --embeddings FILE) and --pairs, or --compare with summary files")
        }
        if alignedDirectory != nil && embeddings != nil {
            throw ValidationError("give ALIGNED_DIR or --embeddings, not both")
        }
        try usageCheck { try OptionRange.check("--batch-size", batchSize, in: EmbedCommand.batchSizeRange) }
    }

    func run() throws {
        var inputs = compare.map { NamedPath("--compare", $0) }
        if let alignedDirectory { inputs.append(NamedPath("ALIGNED_DIRECTORY", alignedDirectory)) }
        if let pairs { inputs.append(NamedPath("--pairs", pairs)) }
        if let embeddings { inputs.append(NamedPath("--embeddings", embeddings)) } else { inputs.append(modelOptions.input) }
        try OutputCheck.folder(
            NamedPath("--out", out), writes: compare.isEmpty
                ? PairsEvaluation.outputNames : [Self.comparisonNames.svg, Self.comparisonNames.png],
            inputs: inputs)
        if !compare.isEmpty {
            try drawComparison()
            return
        }
        var job = PairsEvaluation(alignedRoot: alignedDirectory ?? "", pairsPath: pairs!, outputDirectory: out)
        job.distance = distance
        job.flip = flip
        job.subtractMean = subtractMean
        job.missing = missing
        job.logFAR = logFAR
        job.batchSize = batchSize
        let outcome: PairsEvaluation.Outcome
        if let embeddings {
            outcome = try job.run(embeddings: try EmbeddingFile.read(from: embeddings), source: embeddings)
        } else {
            try runtime.apply()
            outcome = try job.run(makeEmbedder: { try modelOptions.embedder(precision) })
        }
        print(outcome.table)
        print("wrote " + outcome.files.joined(separator: ", "))
        if outcome.skippedPairs > 0 { throw ExitCode(ExitStatus.someSkipped) }
    }

    static let comparisonNames = (svg: "compare.svg", png: "compare.png")

    func drawComparison() throws {
        let series = try compare.map { try ROCSeries.load(summary: $0) }
        var options = ChartOptions()
        options.logFAR = logFAR
        options.det = det
        if det { options.yTitle = "Miss rate (1 - TPR)" }
        if let title { options.title = title }
        if let xTitle { options.xTitle = xTitle }
        if let yTitle { options.yTitle = yTitle }
        let layout = ROCChart.layout(series, options: options)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let svg = (out as NSString).appendingPathComponent(Self.comparisonNames.svg)
        let png = (out as NSString).appendingPathComponent(Self.comparisonNames.png)
        try AtomicFile.write(Data(SVGRenderer.render(layout).utf8), to: svg)
        try PNGRenderer.write(layout, to: png)
        print("wrote \(svg), \(png)")
    }
}
