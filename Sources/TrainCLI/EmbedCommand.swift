import ArgumentParser
import Embedding
import Foundation
import Support

/// `facenet embed DIR -o OUT.h5`
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed every image of an aligned <identity>/<image> folder into one HDF5 file.",
        discussion: """
            Faces of another size than the model's input (160x160) are resized. Images that cannot be decoded are \
            reported and skipped; the exit status is then 3. The output is \
            written to a temporary file and renamed, so an interrupted run leaves no partial file.
            """
    )

    @Argument(help: "Aligned dataset folder: <identity>/<image> files.")
    var directory: String

    @Option(name: .shortAndLong, help: "Output HDF5 file.")
    var output: String

    @Option(help: "Faces per forward pass.")
    var batchSize: Int = 64

    @Option(help: "Threads decoding images ahead of the network.")
    var decodeThreads: Int = 2

    @Option(help: "Embed only shard k of N (images whose index in the sorted list is k mod N), as facenet align.")
    var shard: String = "0/1"

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precision: PrecisionOption
    @OptionGroup var runtime: RuntimeOptions

    /// `--batch-size` (also eval's): 1024 faces of 160x160 are 315 MB of input alone and gigabytes of
    /// activations, and larger batches do not make a CPU forward pass faster.
    static let batchSizeRange = 1...1024
    /// `--decode-threads`: more decoders than cores only contend.
    static let decodeThreadsRange = 1...64

    func validate() throws {
        try usageCheck {
            try OptionRange.check("--batch-size", batchSize, in: Self.batchSizeRange)
            try OptionRange.check("--decode-threads", decodeThreads, in: Self.decodeThreadsRange)
            _ = try Shard(parsing: shard)
        }
    }

    func run() throws {
        try OutputCheck.file(
            NamedPath("-o", output), inputs: [NamedPath("DIRECTORY", directory), modelOptions.input])
        try runtime.apply()
        let embedder = try modelOptions.embedder(precision)
        var job = EmbedJob(root: directory, output: output)
        job.batchSize = batchSize
        job.decodeThreads = decodeThreads
        job.shard = try Shard(parsing: shard)
        let report = try job.run(embedder: embedder)
        print(
            String(
                format: "embedded %d images (%d skipped) in %.1f s, %.1f img/s -> %@", report.embedded,
                report.failed.count, report.seconds, report.imagesPerSecond, output))
        if !report.failed.isEmpty {
            for failure in report.failed { print("skipped \(failure.path): \(failure.reason)") }
            throw ExitCode(ExitStatus.someSkipped)
        }
    }
}
