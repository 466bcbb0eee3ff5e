import TorchBridge

/// The repeats of one table-1 row after its first bottleneck: stride 1, channels kept, so each adds its input.
/// TreB1eN/InsightFace_Pytorch's `Residual` (its bottlenecks in `model`, hence `conv_3.model.0.conv...`).
public final class ResidualStage: Module, Layer, @unchecked Sendable {
    public let model: [DepthWise]

    public init(_ channels: Int, expansion: Int, repeats: Int) throws {
        model = try (0..<repeats).map { _ in try DepthWise(channels, channels, expansion: expansion, stride: 1) }
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try model.reduce(x) { try $1($0) }
    }
}
