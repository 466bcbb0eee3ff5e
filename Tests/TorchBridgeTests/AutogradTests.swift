import TestSupport
import TorchBridge
import XCTest

/// Gradients through TorchBridge against central finite differences, in float64.
final class AutogradTests: XCTestCase {
    /// Shapes of a small conv + BatchNorm + ReLU + linear network.
    let shapes: [[Int]] = [[3, 2, 3, 3], [3], [3], [3], [4, 27], [4]]
    let input: [Double] = (0..<(2 * 2 * 5 * 5)).map { sin(Double($0) * 0.37) }
    let target: [Double] = (0..<8).map { cos(Double($0)) }

    func initialParameters() -> [[Double]] {
        var seed = 0.0
        return shapes.map { shape in
            (0..<shape.reduce(1, *)).map { _ in
                seed += 1
                return 0.5 * sin(seed * 1.7) + 0.1
            }
        }
    }

    /// loss = sum(out * target) + 0.5 * sum(out^2) with out = linear(flatten(relu(bn(conv(x))))); with
    /// `inPlace`, the ReLU is `relu_` on BatchNorm's output (as BasicConv2d) and the linear output joins a
    /// residual `out + 0.17 * relu_(out)` through `adding(_:scaledBy:)` (as the Inception-ResNet blocks).
    func loss(_ params: [Tensor], inPlace: Bool = false) throws -> Tensor {
        let x = try Tensor(input, shape: [2, 2, 5, 5])
        var h = try F.conv2d(x, weight: params[0], bias: params[1], padding: (0, 0))  // [2, 3, 3, 3]
        h = try F.batchNorm(
            h, weight: params[2], bias: params[3], runningMean: nil, runningVar: nil, training: true, momentum: 0.1,
            eps: 1e-5)
        h = try (inPlace ? h.relu_() : h.relu()).flattened(from: 1)  // [2, 27]
        var out = try F.linear(h, weight: params[4], bias: params[5])  // [2, 4]
        if inPlace { out = try out.adding(try (out * 1.0).relu_(), scaledBy: 0.17) }
        let t = try Tensor(target, shape: [2, 4])
        return try (out * t).sum() + out.square().sum() * 0.5
    }

    func testGradientsMatchCentralFiniteDifferences() throws { try checkGradients(inPlace: false) }

    func testInPlaceReluAndScaledAddGradientsMatchCentralFiniteDifferences() throws { try checkGradients(inPlace: true) }

    func checkGradients(inPlace: Bool) throws {
        let values = initialParameters()
        let params = try zip(values, shapes).map { try Tensor($0, shape: $1).requiringGrad() }
        try loss(params, inPlace: inPlace).backward()
        let grads = try params.map { try XCTUnwrap($0.grad()).toArray(Double.self) }

        let eps = 1e-6
        var worst = 0.0
        for p in 0..<values.count {
            for i in 0..<values[p].count {
                var plus = values
                var minus = values
                plus[p][i] += eps
                minus[p][i] -= eps
                let lp = try loss(zip(plus, shapes).map { try Tensor($0, shape: $1) }, inPlace: inPlace).item()
                let lm = try loss(zip(minus, shapes).map { try Tensor($0, shape: $1) }, inPlace: inPlace).item()
                let numeric = (lp - lm) / (2 * eps)
                let error = abs(numeric - grads[p][i]) / max(1, abs(numeric))
                worst = max(worst, error)
                XCTAssertEqual(grads[p][i], numeric, accuracy: 1e-6 * max(1, abs(numeric)), "param \(p)[\(i)]")
            }
        }
        XCTAssertLessThan(worst, 1e-6)
    }

    func testNoGradScopeRecordsNothing() throws {
        let w = try Tensor([1, 2] as [Double]).requiringGrad()
        let y = try withNoGrad { try (w * 3).sum() }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertThrowsError(try y.backward())  // nothing to differentiate: a Swift error, not a crash
        let z = try (w * 3).sum()
        XCTAssertTrue(z.requiresGrad)
        try z.backward()
        XCTAssertEqual(try XCTUnwrap(w.grad()).toArray(Double.self), [3, 3])
        try w.zeroGrad()
        XCTAssertNil(try w.grad())
    }
}
