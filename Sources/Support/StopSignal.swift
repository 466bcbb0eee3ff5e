import Foundation

/// Ctrl-C (SIGINT) and SIGTERM ask a long job to stop at its next boundary (the trainer: a step, or a chunk of a
/// long embedding or mining phase; a video: a frame), save and exit with 128 + the signal
/// (`ExitStatus.interrupted(by:)`).
/// The handler only stores the signal's number (async-signal-safe); the loops poll it.
public enum StopSignal {
    /// 0: running; -1: stop asked by the program itself (the schedule ended); otherwise the signal's number.
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    public static var requested: Bool { flag != 0 }

    /// The signal that asked for the stop, nil when none did.
    public static var signal: Int32? { flag > 0 ? Int32(flag) : nil }

    /// Installs the handlers (a second Ctrl-C still stops the trainer at the next boundary, not at once).
    public static func install() {
        flag = 0
        _ = Foundation.signal(SIGINT) { StopSignal.flag = sig_atomic_t($0) }
        _ = Foundation.signal(SIGTERM) { StopSignal.flag = sig_atomic_t($0) }
    }

    /// Stops without a signal (the run is complete: the command exits 0).
    public static func request() { flag = -1 }
    public static func reset() { flag = 0 }
}
