import Foundation
import Models
import TestSupport
import Training
import XCTest

/// Inception-ResNet-v2 trains through the same config path as Inception-ResNet-v1, and its checkpoint
/// says what it is, so `--model checkpoint.h5` needs nothing else.
final class InceptionResNetV2TrainingTests: XCTestCase {
    var binary: String { Reference.repositoryRoot + "/.build/debug/facenet" }

    func testAFewStepsTrainAndTheCheckpointRebuildsTheNetwork() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary), "build the facenet binary first")
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder, people: 4, images: 3)
        let runDir = folder.file("run")
        let config = try TinyData.config(
            in: folder, root: root, runDir: runDir, extra: "backbone: inception-resnet-v2\nhidden_size: 256\nmax_steps: 2\ncheckpoint_every: 2")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["train", "--config", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        let checkpoint = try Checkpoint.read(from: runDir + "/checkpoint.h5")
        XCTAssertEqual(checkpoint.step, 2)
        XCTAssertEqual(checkpoint.backbone, .inceptionResNetV2)
        let model = try CheckpointModel.load(path: runDir + "/checkpoint.h5")
        XCTAssertEqual(model.backbone, .inceptionResNetV2)
        XCTAssertEqual(model.description.hiddenSize, 256)
        XCTAssertEqual(model.description.inputSize, 80)
        let losses = try String(contentsOfFile: runDir + "/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Double($0.split(separator: ",")[3])! }
        XCTAssertEqual(losses.count, 2)
        XCTAssertTrue(losses.allSatisfy(\.isFinite), "losses \(losses)")
    }
}
