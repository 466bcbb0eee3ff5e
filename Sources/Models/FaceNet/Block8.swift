import TorchBridge

/// Inception-ResNet-C (the paper's figure 13) on the 8x8 grid (3x3 here), 1792 channels:
/// branches 1x1 and 1x1-1x3-3x1, 1x1 up-projection, residual scale 0.20. The network's last block
/// has scale 1 and no activation.
public final class Block8: Module, InceptionResidual, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let conv2d: Conv2d
    public let scale: Double
    public let relu: Bool

    public init(scale: Double = 0.20, relu: Bool = true) throws {
        self.scale = scale
        self.relu = relu
        branch0 = try BasicConv2d(1792, 192, kernel: 1)
        branch1 = [
            try BasicConv2d(1792, 192, kernel: 1),
            try BasicConv2d(192, 192, kernel: (1, 3), padding: (0, 1)),
            try BasicConv2d(192, 192, kernel: (3, 1), padding: (1, 0)),
        ]
        conv2d = try Conv2d(384, 1792, kernel: 1)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1] }
}
