import TorchBridge

/// Inception-ResNet-A (the paper's figure 10) on the 35x35 grid (here 17x17 for 160 px input),
/// 256 channels: three branches (1x1; 1x1-3x3; 1x1-3x3-3x3), 1x1 up-projection, residual scale 0.17.
public final class Block35: Module, InceptionResidual, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let branch2: [BasicConv2d]
    public let conv2d: Conv2d
    public let scale: Double
    public var relu: Bool { true }

    public init(scale: Double = 0.17) throws {
        self.scale = scale
        branch0 = try BasicConv2d(256, 32, kernel: 1)
        branch1 = [
            try BasicConv2d(256, 32, kernel: 1),
            try BasicConv2d(32, 32, kernel: 3, same: true),
        ]
        branch2 = [
            try BasicConv2d(256, 32, kernel: 1),
            try BasicConv2d(32, 32, kernel: 3, same: true),
            try BasicConv2d(32, 32, kernel: 3, same: true),
        ]
        conv2d = try Conv2d(96, 256, kernel: 1)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1, branch2] }
}
