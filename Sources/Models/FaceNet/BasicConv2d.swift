import TorchBridge

/// Convolution without bias, BatchNorm without gamma (eps 0.001) and ReLU: TF-slim's `conv2d` with
/// `batch_norm` (scale=False), the unit every branch of InceptionResNetV1 is made of.
public final class BasicConv2d: Module, Layer, @unchecked Sendable {
    public let conv: Conv2d
    public let bn: BatchNorm2d

    public init(
        _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: Int = 1, padding: (Int, Int) = (0, 0)
    ) throws {
        conv = try Conv2d(
            inChannels, outChannels, kernel: kernel, stride: (stride, stride), padding: padding, bias: false)
        bn = try BatchNorm2d(outChannels, eps: 0.001, momentum: 0.1, scale: false)
        super.init()
    }

    /// A square kernel; `same` pads by k/2 (TF's SAME for stride 1), otherwise VALID.
    public convenience init(
        _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, same: Bool = false
    ) throws {
        let pad = same ? kernel / 2 : 0
        try self.init(inChannels, outChannels, kernel: (kernel, kernel), stride: stride, padding: (pad, pad))
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        // In place: BatchNorm's backward needs its input and statistics, not its output.
        try bn(conv(x)).relu_()
    }
}

/// Runs modules one after another.
func sequence(_ layers: [BasicConv2d], _ x: Tensor) throws -> Tensor {
    try layers.reduce(x) { try $1($0) }
}
