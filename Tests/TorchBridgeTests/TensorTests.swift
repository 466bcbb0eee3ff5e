import TestSupport
import TorchBridge
import XCTest

final class TensorTests: XCTestCase {
    /// libtorch's c10::Error reaches Swift through the shim's one guard with its message and without c10's
    /// backtrace ("Exception raised from ..." and the frames).
    func testALibtorchErrorKeepsItsMessageAndDropsTheBacktrace() throws {
        let a = try Tensor([Float](repeating: 1, count: 6), shape: [2, 3])
        XCTAssertThrowsError(try a.matmul(a)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("2x3") && text.contains("cannot be multiplied"), text)
            XCTAssertFalse(text.contains("Exception raised from"), text)
        }
    }

    func testBorrowedElementsAreTheTensorsOwnAndOnlyForContiguousTensorsOfTheType() throws {
        let t = try Tensor([Float](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [2, 3])
        XCTAssertEqual(try t.withBorrowedElements(Float.self) { Array($0) }, [1, 2, 3, 4, 5, 6])
        XCTAssertThrowsError(try t.t.withBorrowedElements(Float.self) { Array($0) })  // a transposed view
        XCTAssertThrowsError(try t.to(.float64).withBorrowedElements(Float.self) { Array($0) })
    }

    func testRoundTripShapeAndDType() throws {
        let t = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(try t.dtype, .float32)
        XCTAssertEqual(try t.floats(), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try t.t.contiguous().floats(), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(try t.toArray(Int64.self), [1, 2, 3, 4, 5, 6])
    }

    func testShapeMismatchIsASwiftErrorWithLibtorchsMessage() throws {
        XCTAssertThrowsError(try Tensor([1, 2, 3] as [Float], shape: [2, 2]))
        let a = try Tensor.ones([2, 3])
        let b = try Tensor.ones([2, 3])
        XCTAssertThrowsError(try a.matmul(b)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("cannot be multiplied"), message)
        }
    }

    func testArithmeticAgainstHandComputedValues() throws {
        let a = try Tensor([1, -2, 3, -4] as [Float], shape: [2, 2])
        let b = try Tensor([10, 20] as [Float], shape: [1, 2])
        XCTAssertEqual(try (a + b).floats(), [11, 18, 13, 16])  // broadcast over rows
        XCTAssertEqual(try (a * 2 - 1).floats(), [1, -5, 5, -9])
        XCTAssertEqual(try a.relu().floats(), [1, 0, 3, 0])
        // [[1, -2], [3, -4]]^2 = [[1 - 6, -2 + 8], [3 - 12, -6 + 16]]
        XCTAssertEqual(try a.matmul(a).floats(), [-5, 6, -9, 10])
        XCTAssertEqual(try a.sum().item(), -2)
        XCTAssertEqual(try a.sum(dims: [1]).floats(), [-1, -1])
        XCTAssertEqual(try a.max(dim: 1).indices.toArray(Int64.self), [0, 0])
        XCTAssertEqual(try a.gt(0).toArray(Bool.self), [true, false, true, false])
        XCTAssertEqual(try a.maskedFill(a.lt(0), with: 0).floats(), [1, 0, 3, 0])
        XCTAssertEqual(try a.abs().where(a.gt(0), else: a).floats(), [1, -2, 3, -4])
        XCTAssertEqual(try a.flattened().indexSelect(dim: 0, [3, 0]).floats(), [-4, 1])
    }

    func testPairwiseSquaredDistancesAndNormalize() throws {
        let x = try Tensor([3, 4, 0, 0, 1, 0] as [Float], shape: [3, 2])
        let d = try F.pairwiseSquaredDistances(x, x).floats()
        // |(3,4)-(0,0)|^2 = 25, |(3,4)-(1,0)|^2 = 4 + 16 = 20, |(0,0)-(1,0)|^2 = 1.
        let expected: [Float] = [0, 25, 20, 25, 0, 1, 20, 1, 0]
        for (a, b) in zip(d, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        let n = try F.normalize(x, dim: 1).floats()
        XCTAssertEqual(n[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(n[1], 0.8, accuracy: 1e-6)
        XCTAssertEqual(n[2], 0)  // the zero row stays zero (eps guard)
    }

    func testConvolutionAndPoolingAgainstHandComputedValues() throws {
        // 1x1x3x3 input 1...9, 2x2 kernel of ones: each output is the sum of a 2x2 window.
        let x = try Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
        let w = try Tensor.ones([1, 1, 2, 2])
        XCTAssertEqual(try F.conv2d(x, weight: w).floats(), [12, 16, 24, 28])
        XCTAssertEqual(try F.maxPool2d(x, kernel: (2, 2), stride: (1, 1)).floats(), [5, 6, 8, 9])
        XCTAssertEqual(try F.adaptiveAvgPool2d(x, outputSize: (1, 1)).floats(), [5])
        // channels-last keeps values and logical shape.
        let cl = try x.channelsLast()
        XCTAssertEqual(cl.shape, [1, 1, 3, 3])
        XCTAssertEqual(try F.conv2d(cl, weight: w).floats(), [12, 16, 24, 28])
    }

    func testSeededRandomIsReproducible() throws {
        try Torch.manualSeed(7)
        let a = try Tensor.randn([5]).floats()
        try Torch.manualSeed(7)
        let b = try Tensor.randn([5]).floats()
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, try Tensor.randn([5]).floats())
    }

    func testThreadsCanBeSet() throws {
        try Torch.setThreads(2)
        XCTAssertEqual(Torch.threads, 2)
        XCTAssertThrowsError(try Torch.setThreads(0))
        try Torch.configure()
        XCTAssertEqual(Torch.threads, ProcessInfo.processInfo.activeProcessorCount)
    }
}
