import Foundation
import Support
import TestSupport
import Training
import XCTest

/// `facenet train` refuses to overwrite a run, to write into the data, and to resume with fields that
/// cannot change, each before any work and leaving every file as it was; stale temporaries go; a signal
/// during a large outer batch acts promptly.
final class RunFolderTests: XCTestCase {
    var binary: String { Reference.repositoryRoot + "/.build/debug/facenet" }

    /// Runs `facenet` to the end: exit status and output (stdout and stderr).
    func facenet(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    func testAnExistingRunIsNeitherOverwrittenNorResumedWithFixedFieldsChanged() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder)
        let run = folder.file("run")
        let config = try TinyData.config(in: folder, root: root, runDir: run, extra: "checkpoint_every: 1000")
        let (first, firstLog) = try facenet(["train", "--config", config, "--max-steps", "2"])
        XCTAssertEqual(first, 0, firstLog)
        let before = try snapshot(folder.path)

        let (again, againLog) = try facenet(["train", "--config", config, "--max-steps", "2"])
        XCTAssertEqual(again, 1)
        XCTAssertTrue(againLog.contains(
            "Error: \(run)/checkpoint.h5 exists: run_dir already holds a run. Pass --resume to continue it or --force to start over (replacing the run's files)"), againLog)
        XCTAssertEqual(try snapshot(folder.path), before)

        let (changed, changedLog) = try facenet(["train", "--config", config, "--resume", "--optimizer", "sgd", "--seed", "12", "--max-steps", "4"])
        XCTAssertEqual(changed, 1)
        XCTAssertTrue(changedLog.contains("--resume: \(run)/checkpoint.h5 was written with other values of fields a resumed run cannot change:\n"
            + "  optimizer: adam in the checkpoint, sgd now (the checkpoint holds this optimizer's state)\n"
            + "  seed: 11 in the checkpoint, 12 now (every random choice of the run (batches, crops, mining) follows it)\n"
            + "keep them, or start a new run_dir"), changedLog)
        XCTAssertEqual(try snapshot(folder.path), before)

        let (both, bothLog) = try facenet(["train", "--config", config, "--resume", "--force"])
        XCTAssertEqual(both, 64, bothLog)
        XCTAssertEqual(try snapshot(folder.path), before)

        let (resumed, resumedLog) = try facenet(["train", "--config", config, "--resume", "--max-steps", "3", "--learning-rate", "0.002"])
        XCTAssertEqual(resumed, 0, resumedLog)
        XCTAssertTrue(resumedLog.contains("resume: changed learning_rate 0.001 -> 0.002, max_steps 2 -> 3\n"), resumedLog)
        XCTAssertEqual(try Checkpoint.step(at: run + "/checkpoint.h5"), 3)

        let (forced, forcedLog) = try facenet(["train", "--config", config, "--force", "--max-steps", "1"])
        XCTAssertEqual(forced, 0, forcedLog)
        XCTAssertTrue(forcedLog.contains("--force: removed \(run)/checkpoint.h5; starting over"), forcedLog)
        XCTAssertEqual(try Checkpoint.step(at: run + "/checkpoint.h5"), 1)
        XCTAssertEqual(try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8).split(separator: "\n").count, 2)
    }

    func testARunDirInsideTheDataIsRefused() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder, people: 2, images: 2)
        let before = try snapshot(folder.path)
        for (run, relation) in [(root + "/run", "lies inside"), (root, "is"), (folder.path, "contains")] {
            let config = try TinyData.config(in: folder, root: root, runDir: run)
            let withConfig = try snapshot(folder.path)
            let (status, log) = try facenet(["train", "--config", config])
            XCTAssertEqual(status, 1)
            XCTAssertTrue(log.contains("Error: run_dir \(run) \(relation) data_dir \(root): the run's files would mix with the training images; choose a run_dir outside the data"), log)
            XCTAssertEqual(try snapshot(folder.path), withConfig)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/run"))
        _ = before
    }

    func testOverridesWithoutAValue() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let config = try TinyData.config(in: folder, root: folder.file("faces"), runDir: folder.file("run"))
        let before = try snapshot(folder.path)
        let (status, log) = try facenet(["train", "--config", config, "--batch_size"])
        XCTAssertEqual(status, 64)
        XCTAssertTrue(log.contains("Error: --batch_size needs a value"), log)
        let (bad, badLog) = try facenet(["train", "--config", config, "--margin", ".nan"])
        XCTAssertEqual(bad, 1)
        XCTAssertTrue(badLog.contains("Error: --margin (command line): field 'margin' must be a finite number, got nan"), badLog)
        XCTAssertEqual(try snapshot(folder.path), before)
    }

    func testStaleTemporariesOfDeadWritersAreRemovedOthersKept() throws {
        let folder = try TemporaryFolder()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = "checkpoint.h5.tmp-\(dead.processIdentifier)"
        let live = "checkpoint.h5.tmp-\(getpid())"
        for name in [stale, live, "notes.txt", "metrics.csv"] { FileManager.default.createFile(atPath: folder.file(name), contents: Data(name.utf8)) }
        let kept = try snapshot(folder.path).filter { $0.key != stale }
        XCTAssertEqual(AtomicFile.removeStaleTemporaries(in: folder.path, targets: ["metrics.csv"]), [])
        XCTAssertEqual(AtomicFile.removeStaleTemporaries(in: folder.path), [stale])
        XCTAssertEqual(try snapshot(folder.path), kept)
    }

    func testSIGINTDuringTheLargestOuterBatchExits130WithinSeconds() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder, people: 20, images: 10)
        let run = folder.file("run")
        // 20 x 10 outer batch embedded 3 faces at a time: the embedding pass alone is many chunks.
        let config = try TinyData.config(
            in: folder, root: root, runDir: run, extra: "people_per_batch: 20\nimages_per_person: 10\nbatch_size: 3\nmax_steps: 100000")
        let log = folder.file("log.txt")
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["train", "--config", config, "--people-per-batch", "20", "--images-per-person", "10", "--batch-size", "3"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: run + "/checkpoint.h5") && process.isRunning && Date() < deadline { usleep(20_000) }
        usleep(300_000)  // inside the first outer batch's embedding or mining
        XCTAssertTrue(process.isRunning)
        let clock = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(clock), 5)
        XCTAssertEqual(process.terminationStatus, 128 + SIGINT)
        XCTAssertTrue(try String(contentsOfFile: log, encoding: .utf8).contains("(signal)"))
    }
}
