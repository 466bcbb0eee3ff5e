import ArgumentParser
import Foundation
import Support
import Training

/// `facenet launch --nproc N [--max-restarts K] -- train --config C ...`
struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Start N data-parallel training ranks on this machine (as torchrun).",
        discussion: """
            Each rank is `facenet train` with RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT set and \
            --threads cores/N (unless the train arguments give --threads). SIGINT and SIGTERM go to every rank. \
            When a rank dies the others are stopped; with --max-restarts K all start again, from the last \
            checkpoint (--resume), up to K times. On several machines run the same command on each with \
            --nnodes, --node-rank and --master HOST:PORT of node 0 (docs/distributed.md).
            """
    )

    @Option(help: "Ranks on this machine.")
    var nproc: Int

    @Option(help: "Restarts of every rank from the last checkpoint after one dies.")
    var maxRestarts = 0

    @Option(help: "Machines in the run (each runs this command).")
    var nnodes = 1

    @Option(help: "This machine's place, 0..<nnodes; node 0 hosts rank 0 and its store.")
    var nodeRank = 0

    @Option(help: "HOST:PORT of rank 0's store (default 127.0.0.1:29500).")
    var master: String?

    @Option(help: "libtorch threads per rank (default: cores / nproc).")
    var threadsPerRank: Int?

    @Option(help: "Seconds a rank waits for a lost peer, and the others get to stop after one dies.")
    var distTimeout = RankSettings.defaultTimeout

    @Argument(parsing: .postTerminator, help: "The command each rank runs: train --config C ...")
    var command: [String] = []

    func validate() throws {
        guard nproc >= 1 else { throw ValidationError("--nproc must be at least 1, got \(nproc)") }
        guard nnodes >= 1, (0..<nnodes).contains(nodeRank) else {
            throw ValidationError("--node-rank must be in 0..<\(nnodes), got \(nodeRank)")
        }
        guard maxRestarts >= 0 else { throw ValidationError("--max-restarts must be 0 or more, got \(maxRestarts)") }
        guard distTimeout > 0 else { throw ValidationError("--dist-timeout must be positive, got \(distTimeout)") }
        if let threadsPerRank, threadsPerRank < 1 { throw ValidationError("--threads-per-rank must be at least 1") }
        guard command.first == "train" else {
            throw ValidationError("give the ranks' command after --: facenet launch --nproc \(nproc) -- train --config C")
        }
        _ = try TrainCommand.parse(Array(command.dropFirst()))  // a bad train command fails here, not N times
    }

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var plan = RankLauncher.Plan(
            processesPerNode: nproc, threadsPerRank: threadsPerRank ?? max(1, cores / nproc),
            executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, arguments: command)
        plan.nodes = nnodes
        plan.nodeRank = nodeRank
        plan.maxRestarts = maxRestarts
        plan.timeout = distTimeout
        if let master { (plan.masterHost, plan.masterPort) = try RankSettings.parse(master: master) }
        let train = try TrainCommand.parse(Array(command.dropFirst()))
        let checkpoint = RunFolder.checkpoint(try train.loadConfig())
        StopSignal.install()
        let launcher = RankLauncher(plan: plan, restartArguments: { Self.restart(command, checkpoint: checkpoint) }) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
        let status = try launcher.run()
        if status != 0 { throw ExitCode(status) }
    }

    /// A restart resumes from the checkpoint when there is one (never `--force`, which would delete it).
    static func restart(_ command: [String], checkpoint: String) -> [String] {
        let kept = command.filter { $0 != "--force" && $0 != "--resume" }
        return FileManager.default.fileExists(atPath: checkpoint) ? kept + ["--resume"] : kept
    }
}
