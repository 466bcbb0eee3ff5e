import Foundation
import TestSupport
import TorchBridge
import Training
import XCTest

/// `profile_batches`: the operator table of the outer batches after the warm-up, written once.
final class ProfileTests: XCTestCase {
    func testProfileCoversTheRequestedBatchesAfterTheWarmUp() throws {
        try Torch.configure(threads: 2)
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder)
        let run = folder.file("run")
        let path = try TinyData.config(
            in: folder, root: root, runDir: run, extra: "mode: in-batch\nprofile_batches: 2\ncheckpoint_every: 1000")
        let config = try ConfigLoader.load(path: path, overrides: [("max_steps", "6")])
        var said: [String] = []
        try Trainer(config: config, source: path, resume: false, say: { said.append($0) }).run()
        let table = try String(contentsOfFile: run + "/profile.txt", encoding: .utf8)
        XCTAssertTrue(table.hasPrefix("libtorch operators over 2 outer batches"), table)
        // In-batch mode: one optimizer step per outer batch. InceptionResNetV1 has 132 convolutions
        // (BasicConv2d units and the blocks' up-projections), each run forward and backward once per step.
        func calls(_ op: String) -> Int? {
            table.split(separator: "\n").first { $0.hasPrefix(op + " ") }
                .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) }
        }
        XCTAssertEqual(calls("aten::mkldnn_convolution"), 2 * 132, table)
        XCTAssertEqual(calls("aten::convolution_backward"), 2 * 132, table)
        XCTAssertEqual(said.filter { $0.contains("operator profile") }.count, 1)
    }
}
