import TorchBridge

/// Inception-ResNet-B (the paper's figure 11 for v1, figure 17 for v2) on the 17x17 grid (8x8 here):
/// branches 1x1 and 1x1-1x7-7x1, 1x1 up-projection, residual scale 0.10.
public final class Block17: Module, InceptionResidual, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let conv2d: Conv2d
    public let scale: Double
    public var relu: Bool { true }

    /// The trunk's width and each branch's unit widths.
    public struct Widths: Sendable {
        let trunk: Int, branch0: Int, branch1: [Int]
        /// Figure 11: 896 channels, 128 / 128-128-128.
        public static let v1 = Widths(trunk: 896, branch0: 128, branch1: [128, 128, 128])
        /// Figure 17: 1154 in the paper; 1088 in the reference implementations, 192 / 128-160-192.
        public static let v2 = Widths(trunk: 1088, branch0: 192, branch1: [128, 160, 192])
    }

    public init(scale: Double = 0.10, _ w: Widths) throws {
        self.scale = scale
        branch0 = try BasicConv2d(w.trunk, w.branch0, kernel: 1)
        branch1 = [
            try BasicConv2d(w.trunk, w.branch1[0], kernel: 1),
            try BasicConv2d(w.branch1[0], w.branch1[1], kernel: (1, 7), padding: (0, 3)),
            try BasicConv2d(w.branch1[1], w.branch1[2], kernel: (7, 1), padding: (3, 0)),
        ]
        conv2d = try Conv2d(w.branch0 + w.branch1[2], w.trunk, kernel: 1)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1] }
}
