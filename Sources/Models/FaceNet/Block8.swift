import TorchBridge

/// Inception-ResNet-C (the paper's figure 13 for v1, figure 19 for v2) on the 8x8 grid (3x3 here):
/// branches 1x1 and 1x1-1x3-3x1, 1x1 up-projection, residual scale 0.20. The network's last block
/// has scale 1 and no activation.
public final class Block8: Module, InceptionResidual, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let conv2d: Conv2d
    public let scale: Double
    public let relu: Bool

    /// The trunk's width and each branch's unit widths.
    public struct Widths: Sendable {
        let trunk: Int, branch0: Int, branch1: [Int]
        /// Figure 13: 1792 channels, 192 / 192-192-192.
        public static let v1 = Widths(trunk: 1792, branch0: 192, branch1: [192, 192, 192])
        /// Figure 19: 2048 in the paper; 2080 in the reference implementations, 192 / 192-224-256.
        public static let v2 = Widths(trunk: 2080, branch0: 192, branch1: [192, 224, 256])
    }

    public init(scale: Double = 0.20, relu: Bool = true, _ w: Widths) throws {
        self.scale = scale
        self.relu = relu
        branch0 = try BasicConv2d(w.trunk, w.branch0, kernel: 1)
        branch1 = [
            try BasicConv2d(w.trunk, w.branch1[0], kernel: 1),
            try BasicConv2d(w.branch1[0], w.branch1[1], kernel: (1, 3), padding: (0, 1)),
            try BasicConv2d(w.branch1[1], w.branch1[2], kernel: (3, 1), padding: (1, 0)),
        ]
        conv2d = try Conv2d(w.branch0 + w.branch1[2], w.trunk, kernel: 1)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1] }
}
