import Foundation
import TestSupport
import TorchBridge
import Training
import XCTest

/// `profile_batches`: the operator table of the outer batches after the warm-up, written once.
final class ProfileTests: XCTestCase {
    /// Trains `steps` in-batch steps with `profile_batches: batches`; returns profile.txt and what was said.
    func profile(batches: Int, steps: Int) throws -> (String, [String]) {
        try Torch.configure(threads: 2)
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder)
        let run = folder.file("run")
        let path = try TinyData.config(
            in: folder, root: root, runDir: run, extra: "mode: in-batch\nprofile_batches: \(batches)\ncheckpoint_every: 1000")
        let config = try ConfigLoader.load(path: path, overrides: [("max_steps", "\(steps)")])
        var said: [String] = []
        try Trainer(config: config, source: path, start: .fresh, say: { said.append($0) }).run()
        return (try String(contentsOfFile: run + "/profile.txt", encoding: .utf8), said)
    }

    func testProfileCoversTheRequestedBatchesAfterTheWarmUp() throws {
        let (table, said) = try profile(batches: 2, steps: 6)
        XCTAssertTrue(table.hasPrefix("libtorch operators over 2 outer batches"), table)
        // In-batch mode: one optimizer step per outer batch. InceptionResNetV1 has 132 convolutions
        // (BasicConv2d units and the blocks' up-projections), each run forward and backward once per step.
        XCTAssertEqual(ProfileTable.calls(in: table, "aten::mkldnn_convolution"), 2 * 132, table)
        XCTAssertEqual(ProfileTable.calls(in: table, "aten::convolution_backward"), 2 * 132, table)
        XCTAssertEqual(said.filter { $0.contains("operator profile") }.count, 1)
    }

    func testARunThatStopsEarlyWritesWhatItRecorded() throws {
        // 3 steps: 2 of warm-up, then 1 of the 5 asked for.
        let (table, _) = try profile(batches: 5, steps: 3)
        XCTAssertTrue(table.hasPrefix("libtorch operators over 1 outer batches"), table)
        XCTAssertEqual(ProfileTable.calls(in: table, "aten::convolution_backward"), 132, table)
    }
}
