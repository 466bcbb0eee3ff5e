import ArgumentParser
import Foundation
import Recognition
import Support

/// `facenet verify A B`
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Say whether two photos show the same person (1:1), with distance, threshold and confidence.",
        discussion: """
            Prints one JSON object. The threshold is the pair threshold of an evaluation of the same model \
            (--evaluation SUMMARY.json from facenet eval: its best threshold, or with --far the ROC threshold at \
            that false-accept rate), --threshold X, or for the pretrained model its LFW threshold 1.18 \
            (docs/results.md). A gallery's open-set threshold is not a pair threshold.
            """
    )

    @Argument(help: "Two photos (or, with --aligned, two face crops).")
    var images: [String]

    @Flag(help: "The images are aligned face crops: embed them whole, without detection.")
    var aligned = false

    @Option(help: "Pair threshold on the squared L2 distance.")
    var threshold: Double?

    @Option(help: "A facenet eval summary.json of this model: its best threshold.")
    var evaluation: String?

    @Option(help: "With --evaluation: the false-accept rate to pick the threshold at, from its roc.csv.")
    var far: Double?

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard images.count == 2 else { throw ValidationError("give two images, got \(images.count)") }
        if threshold != nil && evaluation != nil { throw ValidationError("give --threshold or --evaluation, not both") }
        if far != nil && evaluation == nil { throw ValidationError("--far goes with --evaluation") }
        if let threshold, !threshold.isFinite || threshold <= 0 || threshold > 4 {
            throw ValidationError("--threshold must be in (0, 4], got \(threshold)")
        }
    }

    func run() throws {
        for image in images { try InputFile.file(image, what: "image") }
        let pairThreshold: PairThreshold
        if let threshold {
            pairThreshold = PairThreshold(value: threshold, origin: "--threshold on the command line")
        } else if let evaluation {
            pairThreshold = try PairThreshold.fromEvaluation(summary: evaluation, far: far)
        } else {
            guard pipelineOptions.modelOptions.model == nil else {
                throw ValidationError("with --model, give the pair threshold of its evaluation: --evaluation SUMMARY.json or --threshold X")
            }
            pairThreshold = .pretrainedLFW
        }
        let pipeline = try pipelineOptions.facePipeline()
        let result = try Verification.compare(images, pipeline: pipeline, threshold: pairThreshold, aligned: aligned)
        print(result.json(paths: images, threshold: pairThreshold).compact())
    }
}
