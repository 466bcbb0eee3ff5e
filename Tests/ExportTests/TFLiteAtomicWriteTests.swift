import Export
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import XCTest

/// A TFLite export that fails while writing leaves neither the output nor its temporary file.
final class TFLiteAtomicWriteTests: XCTestCase {
    func testFailedWriteLeavesNoFile() throws {
        try Torch.configure()
        let folder = try TemporaryFolder()
        // The target exists as a folder: the bytes go to OUT.tmp-<pid>, then the rename onto a folder fails.
        let out = folder.file("model.tflite")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let network = try InceptionResNetV1()  // random weights: the write is what is tested
        XCTAssertThrowsError(try Exporter.exportTFLite(network, precision: .fp16, to: out)) {
            XCTAssertTrue("\($0)".contains("cannot move"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: AtomicFile.temporaryPath(for: out)), "temporary file removed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["model.tflite"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [], "the folder is untouched")
    }
}
