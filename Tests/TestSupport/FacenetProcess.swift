import Foundation
import Support
import XCTest

/// Runs the `facenet` executable that `swift build --build-tests` puts beside the tests.
public enum FacenetProcess {
    public struct Result {
        public let status: Int32
        public let output: String
        public let error: String
        /// stdout and stderr together, for assertions that do not care which.
        public var text: String { output + error }
    }

    public static var binary: String { Reference.repositoryRoot + "/.build/debug/facenet" }

    /// Skips the calling test when the binary has not been built.
    public static func requireBinary() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
    }

    /// Runs `facenet ARGUMENTS` in `directory` (default: the current one) and waits for it.
    public static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        return try Subprocess.run(binary, arguments, in: directory, environment: environment)
    }
}

/// Runs a program to its end with stdout and stderr captured (both drained at once, so that neither pipe can
/// fill up and block the child) and no standard input.
public enum Subprocess {
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil
    ) throws -> FacenetProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorBox = Box()
        let reader = Thread { errorBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return FacenetProcess.Result(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: errorBox.data, as: UTF8.self))
    }

    private final class Box: @unchecked Sendable {
        var data = Data()
    }
}

/// Every file under a folder with its bytes: taken before a command runs and compared after, to show that
/// the command changed nothing that existed (files added are reported separately).
public struct FolderSnapshot: Equatable {
    public let files: [String: Data]

    public init(_ root: String) throws {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: path) ?? Data()
            }
        }
        self.files = files
    }

    /// Fails unless every file of `self` is still there with the same bytes and no file was added (but those
    /// `allowAdded` accepts, e.g. the `-wal` / `-shm` files SQLite keeps beside a database a reader opened).
    public func assertUnchanged(
        _ root: String, _ context: String = "", allowAdded: (String) -> Bool = { _ in false }, file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let now = try FolderSnapshot(root)
        for (name, data) in files.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(now.files[name], data, "\(context): \(name) changed or disappeared", file: file, line: line)
        }
        let added = Set(now.files.keys).subtracting(files.keys).filter { !allowAdded($0) }.sorted()
        XCTAssertEqual(added, [], "\(context): files added", file: file, line: line)
    }
}
