import Foundation

/// A progress line for long jobs: count, rate and ETA, redrawn in place on a terminal and printed
/// every few seconds otherwise (CI logs). A total of 0 is unknown (a camera): count and rate only.
public final class Progress: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let lock = NSLock()
    private let interactive = isatty(STDERR_FILENO) != 0
    public private(set) var done = 0

    public init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    /// Records `count` more finished items and redraws the line if it is due.
    public func advance(by count: Int = 1, note: String = "") {
        lock.lock()
        defer { lock.unlock() }
        done += count
        let now = Date()
        let interval = interactive ? 0.2 : 5.0
        if now.timeIntervalSince(lastPrint) >= interval || (total > 0 && done >= total) {
            lastPrint = now
            emit(line(now: now, note: note), final: false)
        }
    }

    /// Prints the closing line with the overall rate.
    public func finish(note: String = "") {
        lock.lock()
        defer { lock.unlock() }
        emit(line(now: Date(), note: note), final: true)
    }

    /// Items per second so far.
    public var rate: Double {
        let elapsed = Date().timeIntervalSince(start)
        return elapsed > 0 ? Double(done) / elapsed : 0
    }

    public var elapsed: TimeInterval { Date().timeIntervalSince(start) }

    private func line(now: Date, note: String) -> String {
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(max(total - done, 0)) / rate : 0
        guard total > 0 else {
            return "\(label): \(done)" + String(format: "  %.1f/s  elapsed %@", rate, Self.clock(elapsed)) + (note.isEmpty ? "" : "  \(note)")
        }
        var text = "\(label): \(done)/\(total)"
        text += String(format: "  %.1f/s  elapsed %@  ETA %@", rate, Self.clock(elapsed), Self.clock(remaining))
        if !note.isEmpty { text += "  \(note)" }
        return text
    }

    private func emit(_ text: String, final: Bool) {
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + (final ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// h:mm:ss or m:ss.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? seconds.rounded() : 0)
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%d:%02d", m, sec)
    }
}
