import TorchBridge

/// Inception-ResNet-A (the paper's figure 10 for v1, figure 16 for v2) on the 35x35 grid (here 17x17 for
/// 160 px input): three branches (1x1; 1x1-3x3; 1x1-3x3-3x3), 1x1 up-projection, residual scale 0.17.
public final class Block35: Module, InceptionResidual, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let branch2: [BasicConv2d]
    public let conv2d: Conv2d
    public let scale: Double
    public var relu: Bool { true }

    /// The trunk's width and each branch's unit widths.
    public struct Widths: Sendable {
        let trunk: Int, branch0: Int, branch1: [Int], branch2: [Int]
        /// Figure 10: 256 channels, 32 / 32-32 / 32-32-32.
        public static let v1 = Widths(trunk: 256, branch0: 32, branch1: [32, 32], branch2: [32, 32, 32])
        /// Figure 16: 384 in the paper; 320 in the reference implementations (Mixed_5b's output), 32 / 32-32 / 32-48-64.
        public static let v2 = Widths(trunk: 320, branch0: 32, branch1: [32, 32], branch2: [32, 48, 64])
    }

    public init(scale: Double = 0.17, _ w: Widths) throws {
        self.scale = scale
        branch0 = try BasicConv2d(w.trunk, w.branch0, kernel: 1)
        branch1 = [
            try BasicConv2d(w.trunk, w.branch1[0], kernel: 1),
            try BasicConv2d(w.branch1[0], w.branch1[1], kernel: 3, same: true),
        ]
        branch2 = [
            try BasicConv2d(w.trunk, w.branch2[0], kernel: 1),
            try BasicConv2d(w.branch2[0], w.branch2[1], kernel: 3, same: true),
            try BasicConv2d(w.branch2[1], w.branch2[2], kernel: 3, same: true),
        ]
        conv2d = try Conv2d(w.branch0 + w.branch1[1] + w.branch2[2], w.trunk, kernel: 1)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1, branch2] }
}
