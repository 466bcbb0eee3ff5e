import TorchBridge

/// Reduction-A (the paper's figure 7, with its table 1 filter counts k, l, m, n), grid halved. Branches:
/// 3x3/2 conv (n); 1x1 (k) - 3x3 (l) - 3x3/2 (m); 3x3/2 max pool; concatenated: trunk + n + m channels.
public final class Mixed6a: Module, InceptionReduction, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let branch2: MaxPool2d

    /// The input's width and the paper's k, l, m, n.
    public struct Widths: Sendable {
        let trunk: Int, k: Int, l: Int, m: Int, n: Int
        /// Inception-ResNet-v1: 256 -> 896 channels.
        public static let v1 = Widths(trunk: 256, k: 192, l: 192, m: 256, n: 384)
        /// Inception-ResNet-v2: 320 -> 1088 channels.
        public static let v2 = Widths(trunk: 320, k: 256, l: 256, m: 384, n: 384)
        /// The output's width.
        public var output: Int { trunk + n + m }
    }

    public init(_ w: Widths) throws {
        branch0 = try BasicConv2d(w.trunk, w.n, kernel: 3, stride: 2)
        branch1 = [
            try BasicConv2d(w.trunk, w.k, kernel: 1),
            try BasicConv2d(w.k, w.l, kernel: 3, same: true),
            try BasicConv2d(w.l, w.m, kernel: 3, stride: 2),
        ]
        branch2 = MaxPool2d(kernel: 3, stride: 2)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1] }
    public var pool: MaxPool2d { branch2 }
}
