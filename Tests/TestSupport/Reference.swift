import Foundation
import Support
import XCTest

/// Runs the independent Python references that `scripts/setup.sh` installs (never part of the product).
public enum Reference {
    /// Runs `script` (a file under Tests/python) with the reference interpreter and returns its stdout.
    /// Fails the test with the interpreter's stderr when it exits non-zero.
    public static func run(
        python: String = FacenetHome.referencePython, script: String, arguments: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw UserError("reference Python \(python) is missing: run scripts/setup.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptPath(script)] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a chatty script cannot block on a full pipe.
        let errBox = DataBox()
        let errReader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        let errData = errBox.data
        if process.terminationStatus != 0 {
            let message = String(decoding: errData, as: UTF8.self)
            XCTFail("\(script) exited \(process.terminationStatus):\n\(message)", file: file, line: line)
            throw UserError("\(script) failed")
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// Absolute path of a file under Tests/python.
    public static func scriptPath(_ name: String) -> String {
        repositoryRoot + "/Tests/python/" + name
    }

    /// The package root (this file is Tests/TestSupport/Reference.swift).
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// `../shared` beside the repository: the real LFW data.
    public static var sharedData: String { repositoryRoot + "/../shared" }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A fresh temporary folder removed when the value is released.
public final class TemporaryFolder {
    public let path: String

    public init(_ label: String = "facenet-test") throws {
        let base = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    public func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Reads the tables `Torch.stopProfiler()` and `facenet train --profile_batches` write.
public enum ProfileTable {
    /// The calls column of `op`'s row (nil when the operator did not run).
    public static func calls(in table: String, _ op: String) -> Int? {
        table.split(separator: "\n").first { $0.hasPrefix(op + " ") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) }
    }
}
