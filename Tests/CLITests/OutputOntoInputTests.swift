import Foundation
import TestSupport
import XCTest

/// An output that is an input, or lies inside an input folder, is refused before any work by every command
/// that writes (`OutputCheck`): exit status 1, a message naming both paths, and every file that existed is
/// byte-identical afterwards. The refusal comes before the model is loaded, so the "model" here is a small
/// file whose bytes the test can compare.
final class OutputOntoInputTests: XCTestCase {
    var folder: TemporaryFolder!
    var model: String { folder.file("m.h5") }
    var images: String { folder.file("faces") }

    override func setUpWithError() throws {
        try FacenetProcess.requireBinary()
        folder = try TemporaryFolder()
        try Data("a model's bytes".utf8).write(to: URL(fileURLWithPath: model))
        try FileManager.default.createDirectory(atPath: images + "/P", withIntermediateDirectories: true)
        try Data("an image's bytes".utf8).write(to: URL(fileURLWithPath: images + "/P/P_0001.png"))
        try Data("1\nP 1 1\nP 1 Q 1\n".utf8).write(to: URL(fileURLWithPath: folder.file("pairs.txt")))
    }

    /// Runs `arguments`, expects the refusal, and checks that nothing in the folder changed.
    func assertRefused(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try FolderSnapshot(folder.path)
        let result = try FacenetProcess.run(arguments, in: folder.path)
        XCTAssertEqual(result.status, 1, "\(arguments): \(result.text)", file: file, line: line)
        XCTAssertTrue(result.error.contains(message), "\(arguments): \(result.text)", file: file, line: line)
        try before.assertUnchanged(folder.path, "\(arguments)", file: file, line: line)
    }

    func testExportOntoItsModel() throws {
        try assertRefused(
            ["export", "--model", "m.h5", "-o", "m.h5"],
            "refusing to write -o m.h5: it is the --model m.h5, which would be lost")
        // The same file through another name: a hard link and a path with `..` in it.
        try FileManager.default.linkItem(atPath: model, toPath: folder.file("link.tflite"))
        try assertRefused(["export", "--model", "m.h5", "-o", "link.tflite"], "it is the --model m.h5")
        try assertRefused(["export", "--model", "m.h5", "-o", "faces/../m.h5"], "it is the --model m.h5")
    }

    func testExportOntoTheCalibrationFolderOrSummary() throws {
        try assertRefused(
            ["export", "--model", "m.h5", "--precision", "int8", "--calibration", "faces", "-o", "faces/m.tflite"],
            "refusing to write -o faces/m.tflite: it lies inside the --calibration folder faces")
        try assertRefused(
            ["export", "--model", "m.h5", "--evaluation", "pairs.txt", "-o", "pairs.txt"], "it is the --evaluation pairs.txt")
    }

    func testEmbedIntoItsImageFolder() throws {
        try assertRefused(
            ["embed", "faces", "--model", "m.h5", "-o", "faces/P/P_0001.png"],
            "refusing to write -o faces/P/P_0001.png: it lies inside the DIRECTORY folder faces")
        try assertRefused(["embed", "faces", "--model", "m.h5", "-o", "m.h5"], "it is the --model m.h5")
        // Through a symbolic link to the image folder.
        try FileManager.default.createSymbolicLink(atPath: folder.file("alias"), withDestinationPath: images)
        try assertRefused(["embed", "faces", "--model", "m.h5", "-o", "alias/new.h5"], "lies inside the DIRECTORY folder faces")
    }

    func testAlignIntoItsInput() throws {
        try assertRefused(["align", "faces", "faces"], "refusing to write OUTPUT faces: it is the INPUT faces")
        try assertRefused(["align", "faces", "faces/aligned"], "it lies inside the INPUT folder faces")
    }

    func testEvalIntoItsImagesOrOverItsPairsFile() throws {
        try assertRefused(
            ["eval", "faces", "--pairs", "pairs.txt", "--model", "m.h5", "--out", "faces/report"],
            "refusing to write --out faces/report: it lies inside the ALIGNED_DIRECTORY folder faces")
        try FileManager.default.createDirectory(atPath: folder.file("report"), withIntermediateDirectories: true)
        try Data("1\nP 1 1\nP 1 Q 1\n".utf8).write(to: URL(fileURLWithPath: folder.file("report/roc.csv")))
        try assertRefused(
            ["eval", "faces", "--pairs", "report/roc.csv", "--model", "m.h5", "--out", "report"],
            "refusing to write --out report/roc.csv: it is the --pairs report/roc.csv")
    }

    /// Outputs that cannot be created are named before any work, not as a Foundation error after it.
    func testOutputsThatCannotBeCreated() throws {
        try assertRefused(["embed", "faces", "--model", "m.h5", "-o", "faces"], "-o faces is a folder; give the name of the file")
        try assertRefused(
            ["embed", "faces", "--model", "m.h5", "-o", "m.h5/x.h5"],
            "-o m.h5/x.h5 cannot be created: \(folder.path)/m.h5 is a file, not a folder")
        try assertRefused(["align", "faces", "pairs.txt"], "OUTPUT pairs.txt is a file, not a folder")
    }
}
