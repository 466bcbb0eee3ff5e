import Embedding
import Models
import Support
import TorchBridge
import XCTest

/// Finite weights can still give non-finite embeddings (here a negative running variance makes the last
/// BatchNorm divide by the square root of a negative number): the embedder checks its first batch.
final class NonFiniteEmbeddingTests: XCTestCase {
    func testTheFirstBatchIsCheckedAndTheModelFileNamed() throws {
        let model = try InceptionResNetV1(.facenet128)
        let variance = try XCTUnwrap(model.stateDict.first { $0.0 == "last_bn.running_var" }?.1)
        try withNoGrad { try variance.copyFrom(Tensor([Float](repeating: -1, count: 128), shape: [128])) }
        let embedder = try Embedder(model: model, source: "weights/broken.h5")
        let batch = try Tensor([Float](repeating: 0.5, count: 2 * 3 * 160 * 160), shape: [2, 3, 160, 160])
        XCTAssertThrowsError(try embedder.embed(batch)) {
            XCTAssertEqual(
                $0 as? UserError,
                UserError("weights/broken.h5: the model gives non-finite embeddings (NaN or infinity): its weights are damaged"))
        }
    }
}
