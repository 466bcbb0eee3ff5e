import ArgumentParser
import Support
import TorchBridge

/// Options every compute-heavy subcommand shares.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "libtorch intra-op threads, \(RuntimeOptions.threadsRange) (default: the number of cores).")
    var threads: Int?

    /// `--threads`: more than 256 threads on one process only contend (and each costs a stack).
    static let threadsRange = 1...256

    func validate() throws {
        guard let threads else { return }
        try usageCheck { try OptionRange.check("--threads", threads, in: Self.threadsRange) }
    }

    /// Applies the thread settings before any work starts.
    func apply() throws {
        try Torch.configure(threads: threads)
    }
}
