import Foundation
import Support
import TestSupport
import XCTest

/// The exit-status policy (`ExitStatus`, the README's table) and the messages of the cases a new user met:
/// each asserts the status, the message, and (where files exist) that they are byte-identical afterwards.
final class ExitStatusTests: XCTestCase {
    override func setUpWithError() throws { try FacenetProcess.requireBinary() }

    func testHelpForAnUnknownSubcommandIsAUsageError() throws {
        let result = try FacenetProcess.run(["help", "bogus"])
        XCTAssertEqual(result.status, ExitStatus.usage, result.text)
        XCTAssertTrue(result.error.contains("unknown subcommand 'bogus'; the subcommands are align, cluster, detect"), result.text)
        XCTAssertEqual(try FacenetProcess.run(["help", "align"]).status, ExitStatus.success)
    }

    func testAFileNameStartingWithADash() throws {
        let folder = try TemporaryFolder()
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder.file("-dash.jpg")))
        let before = try FolderSnapshot(folder.path)
        let result = try FacenetProcess.run(["detect", "-dash.jpg"], in: folder.path)
        XCTAssertEqual(result.status, ExitStatus.usage, result.text)
        XCTAssertTrue(result.error.contains("'-dash.jpg' is read as an option; to name that file write ./-dash.jpg or put -- before it"), result.text)
        // With the advice followed, it is an image that cannot be decoded: reported and skipped (status 3).
        let advised = try FacenetProcess.run(["detect", "--", "-dash.jpg"], in: folder.path)
        XCTAssertEqual(advised.status, ExitStatus.someSkipped, advised.text)
        XCTAssertTrue(advised.error.contains("-dash.jpg"), advised.text)
        try before.assertUnchanged(folder.path)
    }

    /// A check a subcommand makes while running prints that subcommand's usage, not the top level's.
    func testARunTimeValidationErrorShowsTheSubcommandsUsage() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("in/P"), withIntermediateDirectories: true)
        let result = try FacenetProcess.run(["align", "in", "out", "--align", "sideways"], in: folder.path)
        XCTAssertEqual(result.status, ExitStatus.usage, result.text)
        XCTAssertTrue(result.error.contains("Error: --align must be box or similarity, got 'sideways'"), result.text)
        XCTAssertTrue(result.error.contains("Usage: facenet align"), result.text)
        XCTAssertTrue(result.error.contains("See 'facenet align --help'"), result.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("out")))
    }

    func testAFolderGivenAsThePairsFile() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("faces/P"), withIntermediateDirectories: true)
        let result = try FacenetProcess.run(
            ["eval", "faces", "--pairs", "faces", "--out", "report"], in: folder.path)
        XCTAssertEqual(result.status, ExitStatus.failure, result.text)
        XCTAssertTrue(result.error.contains("the pairs file faces is a folder, not a file"), result.text)
        XCTAssertFalse(result.text.contains("NSCocoaErrorDomain"), result.text)
    }

    /// `detect` and `embed` report a bad image, go on with the others, and exit 3.
    func testBatchCommandsExitThreeWhenTheySkipAnImage() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        let folder = try TemporaryFolder()
        let faces = folder.file("faces")
        for person in ["Colin_Powell", "George_W_Bush"] {
            try FileManager.default.createDirectory(atPath: faces + "/" + person, withIntermediateDirectories: true)
            let name = "\(person)_0001.jpg"
            try FileManager.default.createSymbolicLink(
                atPath: "\(faces)/\(person)/\(name)", withDestinationPath: "\(Reference.sharedData)/lfw/lfw/\(person)/\(name)")
        }
        try Data("not a JPEG".utf8).write(to: URL(fileURLWithPath: faces + "/George_W_Bush/George_W_Bush_0002.jpg"))

        // A temporary an earlier, killed embed left (its writer's pid is gone) is removed by this one.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = folder.file("e.h5.tmp-\(gone.processIdentifier)")
        try Data("half an HDF5 file".utf8).write(to: URL(fileURLWithPath: stale))
        let embed = try FacenetProcess.run(["embed", "faces", "-o", "e.h5"], in: folder.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "the stale temporary is still there")
        XCTAssertEqual(embed.status, ExitStatus.someSkipped, embed.text)
        XCTAssertTrue(embed.output.contains("embedded 2 images (1 skipped)"), embed.text)
        XCTAssertTrue(embed.output.contains("skipped George_W_Bush/George_W_Bush_0002.jpg"), embed.text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.file("e.h5")))

        let detect = try FacenetProcess.run(
            ["detect", "faces/Colin_Powell/Colin_Powell_0001.jpg", "faces/George_W_Bush/George_W_Bush_0002.jpg"],
            in: folder.path)
        XCTAssertEqual(detect.status, ExitStatus.someSkipped, detect.text)
        XCTAssertEqual(detect.output.split(separator: "\n").count, 1, detect.text)  // Colin Powell's one face
        XCTAssertTrue(detect.error.contains("George_W_Bush_0002.jpg"), detect.text)
    }
}
