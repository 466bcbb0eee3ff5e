import Foundation
import Support
import TestSupport
import XCTest

/// A `facenet serve` process on a free port (`--port 0`; the port is read from its "listening on" line).
final class ServeProcess {
    let process = Process()
    let port: Int
    private let output = Collected()

    var base: String { "http://127.0.0.1:\(port)" }
    var log: String { output.text }

    init(gallery: String, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: FacenetProcess.binary)
        process.arguments = ["serve", "--gallery", gallery, "--port", "0", "--threads", "2"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.append(data) }
        }
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 120)
        var found: Int?
        while Date() < deadline && process.isRunning && found == nil {
            if let line = output.text.split(separator: "\n").first(where: { $0.contains("listening on http") }),
                let port = Int(line.split(separator: ":").last ?? "")
            {
                found = port
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw UserError("facenet serve did not start: \(output.text)")
        }
        port = found
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end; its exit status.
    @discardableResult
    func wait(seconds: Double = 60) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { return nil }
        usleep(50_000)  // the last output
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ more: Data) { lock.withLock { data.append(more) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}
