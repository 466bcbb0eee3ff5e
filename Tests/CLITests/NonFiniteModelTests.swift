import Foundation
import Support
import TestSupport
import XCTest

/// A Keras file with one weight set to NaN used to give all-NaN embeddings with status 0, and `eval` then an
/// accuracy of 0.150 without a word. Now the model is refused at load, naming the file and the dataset.
final class NonFiniteModelTests: XCTestCase {
    func testDamagedWeightsAreRefusedNamingTheFileAndDataset() throws {
        try FacenetProcess.requireBinary()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        let folder = try TemporaryFolder()
        let damaged = folder.file("damaged.h5")
        let dataset = try Reference.run(
            script: "damage_keras_weights.py", arguments: [FacenetHome.pretrainedFaceNet, damaged]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let faces = folder.file("faces/Colin_Powell")
        try FileManager.default.createDirectory(atPath: faces, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: faces + "/Colin_Powell_0001.jpg",
            withDestinationPath: "\(Reference.sharedData)/lfw/lfw/Colin_Powell/Colin_Powell_0001.jpg")

        for command in [["embed", "faces", "-o", "e.h5"], ["export", "-o", "m.tflite"]] {
            let result = try FacenetProcess.run(command + ["--model", "damaged.h5"], in: folder.path)
            XCTAssertEqual(result.status, ExitStatus.failure, result.text)
            XCTAssertTrue(
                result.error.contains("damaged.h5: dataset '\(dataset)' holds NaN or infinite values"), result.text)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("e.h5")))
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("m.tflite")))
        }
    }
}
