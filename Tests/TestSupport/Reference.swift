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
        let result = try Subprocess.run(python, [scriptPath(script)] + arguments)
        if result.status != 0 {
            XCTFail("\(script) exited \(result.status):\n\(result.error)", file: file, line: line)
            throw UserError("\(script) failed")
        }
        return result.output
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
