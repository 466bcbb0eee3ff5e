import TorchBridge

/// Convolution without bias, BatchNorm without gamma (eps 0.001) and ReLU: TF-slim's `conv2d` with
/// `batch_norm` (scale=False), the unit every branch of InceptionResNetV1 is made of.
/// `kerasName` is the layer's name in the pretrained file (e.g. `Block35_1_Branch_0_Conv2d_1x1`).
public final class BasicConv2d: Module, Layer, KerasNamed, @unchecked Sendable {
    public let conv: Conv2d
    public let bn: BatchNorm2d
    let kerasName: String

    public init(
        _ kerasName: String, _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: Int = 1,
        padding: (Int, Int) = (0, 0)
    ) throws {
        self.kerasName = kerasName
        conv = try Conv2d(
            inChannels, outChannels, kernel: kernel, stride: (stride, stride), padding: padding, bias: false)
        bn = try BatchNorm2d(outChannels, eps: 0.001, momentum: 0.1, scale: false)
        super.init()
    }

    /// A square kernel; `same` pads by k/2 (TF's SAME for stride 1), otherwise VALID.
    public convenience init(
        _ kerasName: String, _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, same: Bool = false
    ) throws {
        let pad = same ? kernel / 2 : 0
        try self.init(kerasName, inChannels, outChannels, kernel: (kernel, kernel), stride: stride, padding: (pad, pad))
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        // In place: BatchNorm's backward needs its input and statistics, not its output.
        try bn(conv(x)).relu_()
    }

    public var kerasWeights: [KerasWeight] {
        let norm = kerasName + "_BatchNorm"
        return [
            KerasWeight(tensor: conv.weight, layer: kerasName, weight: "kernel", layout: .convHWIO),
            KerasWeight(tensor: bn.bias, layer: norm, weight: "beta", layout: .vector),
            KerasWeight(tensor: bn.runningMean, layer: norm, weight: "moving_mean", layout: .vector),
            KerasWeight(tensor: bn.runningVar, layer: norm, weight: "moving_variance", layout: .vector),
        ]
    }
}

/// Runs modules one after another.
func sequence(_ layers: [BasicConv2d], _ x: Tensor) throws -> Tensor {
    try layers.reduce(x) { try $1($0) }
}
