import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import Training
import XCTest

/// A training checkpoint loaded as a model for `facenet eval` / `facenet export`.
final class CheckpointModelTests: XCTestCase {
    /// A checkpoint of an 80 px model whose weight average differs from its raw weights.
    func makeCheckpoint(in folder: TemporaryFolder, dropping dropped: String? = nil) throws -> (String, [String: Tensor]) {
        try Torch.manualSeed(3)
        var config = TrainingConfig()
        config.imageSize = 80
        config.initFrom = "scratch"
        var description = ModelDescription.facenet128
        description.inputSize = 80
        let model = try InceptionResNetV1(description)
        let raw = model.stateDict
        let ema = try raw.map { ($0.0, try $0.1.detached() * 0.5 + 0.25) }
        let checkpoint = Checkpoint(
            step: 7, epoch: 0, model: raw.filter { $0.0 != dropped }, ema: ema.filter { $0.0 != dropped },
            optimizerState: [], samplerState: "{}", config: String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
        let path = folder.file("checkpoint.h5")
        try checkpoint.write(to: path)
        return (path, Dictionary(uniqueKeysWithValues: ema))
    }

    func testLoadsTheWeightAverageAndTheInputSize() throws {
        let folder = try TemporaryFolder()
        let (path, ema) = try makeCheckpoint(in: folder)
        XCTAssertTrue(CheckpointModel.isCheckpoint(path: path))
        let model = try CheckpointModel.load(path: path)
        XCTAssertEqual(model.description.inputSize, 80)
        XCTAssertTrue(model.description.name.hasSuffix("-step7"), model.description.name)
        for (name, tensor) in model.stateDict {
            let expected = try XCTUnwrap(ema[name])
            let worst = zip(try tensor.floats(), try expected.floats()).map { abs($0 - $1) }.max() ?? 0
            XCTAssertEqual(worst, 0, name)
        }
    }

    func testCheckpointMissingALayerIsRefusedByName() throws {
        let folder = try TemporaryFolder()
        let (path, _) = try makeCheckpoint(in: folder, dropping: "repeat_2.3.branch1.1.conv.weight")
        XCTAssertThrowsError(try CheckpointModel.load(path: path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(path), text)
            XCTAssertTrue(text.contains("1 weight(s) missing"), text)
            XCTAssertTrue(text.contains("repeat_2.3.branch1.1.conv.weight"), text)
        }
    }

    func testAKerasFileIsNotTakenForACheckpoint() throws {
        let weights = FacenetHome.pretrainedFaceNet
        try XCTSkipUnless(FileManager.default.fileExists(atPath: weights), "run scripts/setup.sh first")
        XCTAssertFalse(CheckpointModel.isCheckpoint(path: weights))
        XCTAssertFalse(CheckpointModel.isCheckpoint(path: "/nonexistent.h5"))
    }
}
