import Embedding
import Foundation
import TestSupport
import Models
import Support
import Training
import TorchBridge
import XCTest

/// A tiny run killed with SIGKILL at a random step and resumed ends with the same weights as an
/// uninterrupted run of the same seed.
final class ResumeTests: XCTestCase {
    var binary: String { Reference.repositoryRoot + "/.build/debug/facenet" }

    /// Starts `facenet` with `arguments`; its standard output goes to `output` when given.
    func run(_ arguments: [String], output: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let output {
            FileManager.default.createFile(atPath: output, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        try process.run()
        return process
    }

    func stepsLogged(_ runDir: String) -> Int {
        let text = (try? String(contentsOfFile: runDir + "/metrics.csv", encoding: .utf8)) ?? ""
        return max(0, text.split(separator: "\n").count - 1)
    }

    func testKilledAndResumedRunEqualsUninterruptedRun() throws {
        try checkKilledAndResumedRunEqualsUninterruptedRun()
    }

    /// MobileFaceNet (depthwise convolutions, PReLU) through the same config path, at its 112 px input, computing
    /// in bf16 (CPU autocast; float32 weights, optimizer state and checkpoints): one run checks both.
    func testKilledAndResumedMobileFaceNetBFloat16RunEqualsUninterruptedRun() throws {
        try checkKilledAndResumedRunEqualsUninterruptedRun(extra: "backbone: mobilefacenet\nimage_size: 112\nprecision: bf16") { checkpoint, log, path in
            XCTAssertTrue(log.contains("precision bf16 as asked"), "the run did not say it computes in bf16:\n" + log)
            XCTAssertEqual(checkpoint.backbone, .mobileFaceNet)
            XCTAssertTrue(checkpoint.model.contains { $0.0 == "conv_6_dw.conv.weight" && $0.1.shape == [512, 1, 7, 7] })
            // The checkpoint is float32 whatever the compute precision, and `facenet export` of it is as of any
            // other: LiteRT runs the file as libtorch runs the checkpoint in float32.
            for (name, tensor) in checkpoint.model + checkpoint.ema { XCTAssertEqual(try tensor.dtype, .float32, name) }
            try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.runtimesPython), "run scripts/setup.sh first")
            let folder = try TemporaryFolder()
            let tflite = folder.file("bf16-trained.tflite")
            let exported = try FacenetProcess.run(["export", "--model", path, "--output", tflite])
            XCTAssertEqual(exported.status, 0, exported.text)
            let network = try CheckpointModel.load(path: path)
            let batch = try FaceBatch.tensor(try LFWFaces.centreCropped(count: 16), description: network.description)
            let ours = try Embedder(model: network).embed(batch).floats()
            let (theirs, _) = try ExportFaces.runLiteRT(model: tflite, inputs: try batch.permuted([0, 2, 3, 1]).contiguous().floats(), folder: folder)
            let (_, worst) = ExportFaces.compare(ours, theirs, dimension: network.description.embeddingSize)
            XCTAssertLessThan(worst, 1e-4, "LiteRT against libtorch on the bf16-trained checkpoint")
        }
    }

    /// Trains the tiny config (plus `extra` fields) whole, and again killed at a random step and resumed; passes
    /// the uninterrupted run's last checkpoint, its standard output and the checkpoint's path to `inspect`
    /// (before the run's folder is removed).
    func checkKilledAndResumedRunEqualsUninterruptedRun(
        extra: String = "", inspect: (Checkpoint, _ log: String, _ path: String) throws -> Void = { _, _, _ in }
    ) throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder)

        let whole = folder.file("whole")
        let logPath = folder.file("whole.log")
        let reference = try run(
            ["train", "--config", TinyData.config(in: folder, root: root, runDir: whole, extra: extra)], output: logPath)
        reference.waitUntilExit()
        XCTAssertEqual(reference.terminationStatus, 0)

        let killed = folder.file("killed")
        let config = try TinyData.config(in: folder, root: root, runDir: killed, extra: extra)
        let killAfter = Int.random(in: 2...6)
        let first = try run(["train", "--config", config])
        let deadline = Date().addingTimeInterval(300)
        while stepsLogged(killed) < killAfter && first.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(first.isRunning, "the run ended before it could be killed")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)
        XCTAssertLessThan(stepsLogged(killed), 8, "killed part-way")

        let second = try run(["train", "--config", config, "--resume"])
        second.waitUntilExit()
        XCTAssertEqual(second.terminationStatus, 0)

        let a = try Checkpoint.read(from: whole + "/checkpoint.h5")
        let b = try Checkpoint.read(from: killed + "/checkpoint.h5")
        XCTAssertEqual(a.step, 8)
        XCTAssertEqual(b.step, 8)
        var worst: Float = 0
        for ((name, x), (otherName, y)) in zip(a.model + a.ema, b.model + b.ema) {
            XCTAssertEqual(name, otherName)
            worst = max(worst, zip(try x.floats(), try y.floats()).map { abs($0 - $1) }.max() ?? 0)
        }
        XCTAssertLessThan(worst, 1e-5, "killed after step >= \(killAfter) and resumed: weights differ by \(worst)")
        // The loss curves agree step by step too (the resumed log keeps the steps before the checkpoint).
        let lossesA = try String(contentsOfFile: whole + "/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",")[3])! }
        let lossesB = try String(contentsOfFile: killed + "/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",")[3])! }
        XCTAssertEqual(lossesA.count, 8)
        XCTAssertEqual(lossesB.count, 8)
        for (x, y) in zip(lossesA, lossesB) { XCTAssertEqual(x, y, accuracy: 1e-5) }
        XCTAssertTrue(lossesA.allSatisfy(\.isFinite))
        try inspect(a, try String(contentsOfFile: logPath, encoding: .utf8), whole + "/checkpoint.h5")
    }
}
