import Foundation
import Support
import TorchBridge

/// `profile_batches`: records libtorch's operators over that many outer batches after the first two (whose
/// allocations and oneDNN kernel choices are one-off) and then writes the table of time per operator.
/// The numbers are comparable with torch.autograd.profiler's on the same network.
struct StepProfiler {
    let batches: Int
    let path: String
    let say: (String) -> Void
    static let warmUp = 2
    private var seen = 0
    private var profiled = 0
    private var seconds = 0.0
    private var written = false

    init(batches: Int, path: String, say: @escaping (String) -> Void) {
        self.batches = batches
        self.path = path
        self.say = say
    }

    /// Runs `body` (one outer batch: one optimizer step in in-batch mode, several in two-pass mode), under
    /// the profiler while the warm-up is over and the profile is not complete.
    mutating func around(_ body: () throws -> Void) throws {
        seen += 1
        guard batches > 0, seen > Self.warmUp, profiled < batches, !written else { return try body() }
        if profiled == 0 { try Torch.startProfiler() }
        let clock = Date()
        do {
            try body()
        } catch {
            _ = try? Torch.stopProfiler()
            written = true
            throw error
        }
        seconds += Date().timeIntervalSince(clock)
        profiled += 1
        if profiled == batches { try finish() }
    }

    /// Stops the profiler and writes the table if it is recording (also when training stops before the
    /// profile is complete: the header says how many batches it covers).
    mutating func finish() throws {
        guard profiled > 0, !written else { return }
        written = true
        let table = try Torch.stopProfiler()
        let header = String(
            format: "libtorch operators over %d outer batches (%.2f s wall clock, %d threads)\n\n", profiled, seconds,
            Torch.threads)
        try AtomicFile.write(Data((header + table).utf8), to: path)
        say("wrote the operator profile to \(path)")
    }
}
