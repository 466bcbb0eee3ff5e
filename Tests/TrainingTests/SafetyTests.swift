import Foundation
import TestSupport
import Training
import XCTest

/// SIGTERM saves and exits cleanly; a run whose loss keeps going NaN gives up after `nan_limit` restores.
final class SafetyTests: XCTestCase {
    var binary: String { Reference.repositoryRoot + "/.build/debug/facenet" }

    func launch(_ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        try process.run()
        return process
    }

    func testSIGTERMSavesACheckpointAndExits143() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder)
        let run = folder.file("run")
        let config = try TinyData.config(in: folder, root: root, runDir: run, extra: "checkpoint_every: 1000")
        let log = folder.file("log.txt")
        let process = try launch(["train", "--config", config, "--max-steps", "1000"], output: log)
        let deadline = Date().addingTimeInterval(300)
        func steps() -> Int {
            max(0, ((try? String(contentsOfFile: run + "/metrics.csv", encoding: .utf8)) ?? "").split(separator: "\n").count - 1)
        }
        while steps() < 2 && process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(process.isRunning)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 128 + SIGTERM)
        // checkpoint_every is 1000: the checkpoint exists only because the signal made the trainer save one.
        let checkpoint = try Checkpoint.read(from: run + "/checkpoint.h5")
        XCTAssertGreaterThanOrEqual(checkpoint.step, 2)
        XCTAssertLessThan(checkpoint.step, 1000)
        XCTAssertTrue(try String(contentsOfFile: log, encoding: .utf8).contains("(signal)"))
    }

    func testNonFiniteLossesRestoreThenGiveUp() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder)
        let run = folder.file("run")
        // SGD whose weight decay multiplies every weight by (1 - lr * wd) = -1e30 per step: after two steps the
        // weights overflow float32 and the loss is NaN. (A large learning rate alone does not do it: BatchNorm
        // makes the network invariant to the scale of the weights.)
        let config = try TinyData.config(
            in: folder, root: root, runDir: run, extra: "nan_limit: 2\ncheckpoint_every: 1000")
        let log = folder.file("log.txt")
        let process = try launch(
            ["train", "--config", config, "--optimizer", "sgd", "--learning-rate", "1e30", "--weight-decay", "1",
             "--max-steps", "30"], output: log)
        process.waitUntilExit()
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertNotEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("restoring the last good checkpoint (1 of 2 allowed)"), text)
        XCTAssertTrue(text.contains("not finite 3 times"), text)
    }
}
