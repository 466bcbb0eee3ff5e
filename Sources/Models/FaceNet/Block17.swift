import TorchBridge

/// Inception-ResNet-B (the paper's figure 11) on the 17x17 grid (8x8 here), 896 channels:
/// branches 1x1 and 1x1-1x7-7x1, 1x1 up-projection, residual scale 0.10.
public final class Block17: Module, InceptionResidual, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let conv2d: Conv2d
    public let scale: Double
    public var relu: Bool { true }

    public init(scale: Double = 0.10) throws {
        self.scale = scale
        branch0 = try BasicConv2d(896, 128, kernel: 1)
        branch1 = [
            try BasicConv2d(896, 128, kernel: 1),
            try BasicConv2d(128, 128, kernel: (1, 7), padding: (0, 3)),
            try BasicConv2d(128, 128, kernel: (7, 1), padding: (3, 0)),
        ]
        conv2d = try Conv2d(256, 896, kernel: 1)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1] }
}
