import ArgumentParser
import Foundation
import Support
import TorchBridge
import Training

/// `facenet train --config FILE [--resume | --force] [--FIELD VALUE ...]`
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train or fine-tune FaceNet with triplet loss and online mining.",
        discussion: """
            Every config field can be overridden on the command line: --people-per-batch 10 sets people_per_batch. \
            Outputs (checkpoint.h5, metrics.csv, metrics.jsonl, curves.png, validation/) go to run_dir. Ctrl-C or \
            SIGTERM saves a checkpoint and exits with 130 or 143; --resume continues from it.

            Fields (YAML name, default, meaning):
            \(ConfigHelp.table())
            """
    )

    @Option(help: "YAML config file (configs/*.yaml).")
    var config: String?

    @Flag(help: "Continue from run_dir/checkpoint.h5.")
    var resume = false

    @Flag(help: "Start over in a run_dir that already holds a checkpoint, replacing the run's files.")
    var force = false

    @OptionGroup(title: "Data-parallel ranks (torchrun's RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT otherwise)")
    var ranks: RankOptions

    @Argument(parsing: .allUnrecognized, help: "Config overrides: --FIELD VALUE ...")
    var overrides: [String] = []

    func validate() throws {
        if resume && force { throw ValidationError("--resume continues a run and --force starts it over: give one") }
    }

    func run() throws {
        let settings = try loadConfig()
        try Torch.configure(threads: settings.threads)
        StopSignal.install()
        let start: RunStart = resume ? .resume : force ? .replace : .fresh
        let collective = try ranks.collective()
        // Rank 0 speaks for the run; the others only fail loudly (their errors name their rank).
        let say: (String) -> Void = collective.rank == 0 ? { print($0) } : { _ in }
        let trainer = try Trainer(
            config: settings, source: config ?? "<command line>", start: start, collective: collective, say: say)
        try trainer.run()
        if let signal = StopSignal.signal { throw ExitCode(ExitStatus.interrupted(by: signal)) }
    }

    /// The config file with the command line's overrides.
    func loadConfig() throws -> TrainingConfig {
        try ConfigLoader.load(path: config, overrides: try Self.pairs(overrides))
    }

    /// `--field value` pairs; only a true/false field may be given without a value (it means true).
    static func pairs(_ words: [String]) throws -> [(String, String)] {
        var result: [(String, String)] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            guard word.hasPrefix("--") else { throw ValidationError("expected --FIELD VALUE, got '\(word)'") }
            var name = String(word.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            } else if i + 1 < words.count, !words[i + 1].hasPrefix("--") {
                value = words[i + 1]
                i += 1
            }
            let field = ConfigLoader.fieldName(ofOption: name)
            if value == nil {
                // Unknown names pass through: the loader names them with a suggestion.
                guard ConfigLoader.isSwitch(field) || !ConfigLoader.fieldNames.contains(field) else {
                    throw ValidationError("--\(name) needs a value")
                }
                value = "true"
            }
            result.append((name, value!))
            i += 1
        }
        return result
    }
}
