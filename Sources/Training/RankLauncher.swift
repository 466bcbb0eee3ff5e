import Foundation
import Support

/// `facenet launch`: starts a node's ranks as child processes with torchrun's environment, forwards
/// SIGINT and SIGTERM to them, and, when one dies, stops the others and starts them all again from the last
/// checkpoint, up to `maxRestarts` times (torchelastic's behaviour).
public final class RankLauncher {
    public struct Plan: Sendable {
        /// Ranks on this node, nodes in all, and this node's place among them.
        public var processesPerNode: Int
        public var nodes = 1
        public var nodeRank = 0
        public var masterHost = "127.0.0.1"
        public var masterPort = RankSettings.defaultPort
        public var maxRestarts = 0
        public var threadsPerRank: Int
        /// How long the others get to exit after one died, before SIGKILL.
        public var timeout = RankSettings.defaultTimeout
        public var executable: String
        /// The child's arguments (`train --config C ...`) for the first start.
        public var arguments: [String]

        public init(processesPerNode: Int, threadsPerRank: Int, executable: String, arguments: [String]) {
            self.processesPerNode = processesPerNode
            self.threadsPerRank = threadsPerRank
            self.executable = executable
            self.arguments = arguments
        }

        public var worldSize: Int { processesPerNode * nodes }
    }

    let plan: Plan
    /// The arguments of a restart (e.g. `--resume` once a checkpoint exists).
    let restartArguments: () throws -> [String]
    let say: (String) -> Void

    public init(plan: Plan, restartArguments: @escaping () throws -> [String], say: @escaping (String) -> Void) {
        self.plan = plan
        self.restartArguments = restartArguments
        self.say = say
    }

    /// Runs the ranks to the end; returns the exit status: 0 when every rank finished, 128 + the signal when
    /// one was forwarded, otherwise the first failed rank's status.
    public func run() throws -> Int32 {
        var arguments = plan.arguments
        var restarts = 0
        while true {
            let outcome = try runOnce(arguments)
            switch outcome {
            case .finished: return ExitStatus.success
            case .stopped(let signal): return ExitStatus.interrupted(by: signal)
            case .failed(let rank, let status):
                guard restarts < plan.maxRestarts else {
                    if plan.maxRestarts > 0 { say("launch: no restarts left (--max-restarts \(plan.maxRestarts))") }
                    return status == 0 ? ExitStatus.failure : status
                }
                restarts += 1
                arguments = try restartArguments()
                say("launch: restart \(restarts) of \(plan.maxRestarts) after rank \(rank) failed: \(arguments.joined(separator: " "))")
            }
        }
    }

    enum Outcome {
        case finished
        case stopped(Int32)
        case failed(rank: Int, status: Int32)
    }

    func runOnce(_ arguments: [String]) throws -> Outcome {
        let children = try (0..<plan.processesPerNode).map { local in try start(local: local, arguments: arguments) }
        var forwarded: Int32?
        var failure: (rank: Int, status: Int32)?
        var failedAt: Date?
        while children.contains(where: \.process.isRunning) {
            if forwarded == nil, let signal = StopSignal.signal {
                forwarded = signal
                for child in children where child.process.isRunning { kill(child.process.processIdentifier, signal) }
            }
            if failure == nil, forwarded == nil, let dead = children.first(where: { !$0.process.isRunning && !$0.succeeded }) {
                failure = (dead.rank, dead.status)
                failedAt = Date()
                say("launch: rank \(dead.rank) \(dead.exitDescription); stopping the other ranks")
                for child in children where child.process.isRunning { kill(child.process.processIdentifier, SIGTERM) }
            }
            if let failedAt, Date().timeIntervalSince(failedAt) > plan.timeout {
                for child in children where child.process.isRunning {
                    say("launch: rank \(child.rank) did not stop within \(Int(plan.timeout)) s; killing it")
                    kill(child.process.processIdentifier, SIGKILL)
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if let failure { return .failed(rank: failure.rank, status: failure.status) }
        if let forwarded { return .stopped(forwarded) }
        return .finished
    }

    struct Child {
        let rank: Int
        let process: Process
        var status: Int32 { process.terminationReason == .uncaughtSignal ? ExitStatus.interrupted(by: process.terminationStatus) : process.terminationStatus }
        var succeeded: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }
        var exitDescription: String {
            process.terminationReason == .uncaughtSignal
                ? "was killed by signal \(process.terminationStatus)\(Self.signalName(process.terminationStatus))"
                : "exited with status \(process.terminationStatus)"
        }

        static func signalName(_ signal: Int32) -> String {
            switch signal {
            case SIGKILL: " (SIGKILL)"
            case SIGTERM: " (SIGTERM)"
            case SIGINT: " (SIGINT)"
            case SIGSEGV: " (SIGSEGV)"
            case SIGABRT: " (SIGABRT)"
            default: ""
            }
        }
    }

    func start(local: Int, arguments: [String]) throws -> Child {
        let rank = plan.nodeRank * plan.processesPerNode + local
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plan.executable)
        var childArguments = arguments
        if !arguments.contains(where: { $0 == "--threads" || $0.hasPrefix("--threads=") }) {
            childArguments += ["--threads", String(plan.threadsPerRank)]
        }
        process.arguments = childArguments
        var environment = ProcessInfo.processInfo.environment
        environment["RANK"] = String(rank)
        environment["WORLD_SIZE"] = String(plan.worldSize)
        environment["LOCAL_RANK"] = String(local)
        environment["LOCAL_WORLD_SIZE"] = String(plan.processesPerNode)
        environment["MASTER_ADDR"] = plan.masterHost
        environment["MASTER_PORT"] = String(plan.masterPort)
        environment["FACENET_DIST_TIMEOUT"] = String(plan.timeout)
        environment["OMP_NUM_THREADS"] = String(plan.threadsPerRank)
        process.environment = environment
        do {
            try process.run()
        } catch {
            throw UserError("launch: cannot start rank \(rank) (\(plan.executable)): \(error.localizedDescription)")
        }
        return Child(rank: rank, process: process)
    }
}
