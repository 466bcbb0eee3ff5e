import Alignment
import ArgumentParser
import Foundation
import Support

/// `facenet align IN OUT`
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "Detect faces (MTCNN) in an <identity>/<image> folder and write aligned crops.",
        discussion: """
            Writes OUT/<identity>/<stem>.png (with --all-faces OUT/<identity>/<stem>_<k>.png), \
            OUT/bounding_boxes.txt (path x0 y0 x1 y1 score per crop) and OUT/failures.csv (every image not \
            aligned, with its reason). Images already recorded in either file are skipped, so a killed run \
            resumes where it stopped. The exit status is 3 when this run could not align some images (each is \
            in failures.csv with its reason). For training sets davidsandberg recommends --image-size 182 \
            --margin 44 (then random 160 crops); for evaluation 160 / 32.
            """
    )

    @Argument(help: "Input folder: <identity>/<image> photos.")
    var input: String

    @Argument(help: "Output folder for the crops and the two record files.")
    var output: String

    @Option(help: "Side of the square output crops, in pixels (\(AlignJob.imageSizeRange)).")
    var imageSize: Int = 160

    @Option(help: "Pixels added around the detected box in the source image (half per side, \(AlignJob.marginRange)); --align box only.")
    var margin: Double = 32

    @Flag(help: "Keep every face found (suffix _0, _1, ...) instead of the most central large one.")
    var allFaces = false

    @Option(help: "box: the box plus margin, resized; similarity: landmarks warped onto the ArcFace template.")
    var align: String = "box"

    @Option(help: "Process only the images whose sorted index is k modulo N (0 <= k < N).")
    var shard: String = "0/1"

    @Option(help: "Images per detector pass (\(AlignJob.batchSizeRange)).")
    var batchSize: Int = 8

    @Flag(help: "Log every image processed.")
    var verbose = false

    @OptionGroup var detectorArguments: DetectorArguments
    @OptionGroup var runtime: RuntimeOptions

    /// Every option is checked here, before the job creates OUT or reads IN.
    func validate() throws { _ = try job() }

    func run() throws {
        let job = try job()
        try OutputCheck.folder(
            NamedPath("OUTPUT", output), writes: [AlignJob.boxesFileName, AlignJob.failuresFileName],
            inputs: [NamedPath("INPUT", input), NamedPath("--mtcnn-weights", detectorArguments.weightsDirectory)])
        try runtime.apply()
        let report = try job.run(detector: try detectorArguments.detector())
        print("align: " + report.summary)
        if !report.failures.isEmpty { throw ExitCode(ExitStatus.someSkipped) }
    }

    /// The job these options describe; `ValidationError` naming the first bad option.
    func job() throws -> AlignJob {
        guard let mode = AlignJob.Mode(rawValue: align) else {
            throw ValidationError("--align must be box or similarity, got '\(align)'")
        }
        var job = AlignJob(input: input, output: output)
        job.imageSize = imageSize
        job.margin = margin
        job.allFaces = allFaces
        job.mode = mode
        job.batchSize = batchSize
        job.verbose = verbose
        try usageCheck {
            job.shard = try Shard(parsing: shard)
            try job.validate()
        }
        return job
    }
}
