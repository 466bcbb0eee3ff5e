import TorchBridge

/// Reduction-B (the paper's figure 12 for v1, figure 18 for v2), grid halved. Branches: 1x1-3x3/2;
/// 1x1-3x3/2; 1x1-3x3-3x3/2; 3x3/2 max pool; concatenated.
public final class Mixed7a: Module, InceptionReduction, @unchecked Sendable {
    public let branch0: [BasicConv2d]
    public let branch1: [BasicConv2d]
    public let branch2: [BasicConv2d]
    public let branch3: MaxPool2d

    /// The input's width and each branch's unit widths.
    public struct Widths: Sendable {
        let trunk: Int, branch0: [Int], branch1: [Int], branch2: [Int]
        /// Inception-ResNet-v1: 896 -> 1792 channels.
        public static let v1 = Widths(trunk: 896, branch0: [256, 384], branch1: [256, 256], branch2: [256, 256, 256])
        /// Inception-ResNet-v2: 1088 -> 2080 channels (the reference implementations' widths).
        public static let v2 = Widths(trunk: 1088, branch0: [256, 384], branch1: [256, 288], branch2: [256, 288, 320])
    }

    public init(_ w: Widths) throws {
        branch0 = [
            try BasicConv2d(w.trunk, w.branch0[0], kernel: 1),
            try BasicConv2d(w.branch0[0], w.branch0[1], kernel: 3, stride: 2),
        ]
        branch1 = [
            try BasicConv2d(w.trunk, w.branch1[0], kernel: 1),
            try BasicConv2d(w.branch1[0], w.branch1[1], kernel: 3, stride: 2),
        ]
        branch2 = [
            try BasicConv2d(w.trunk, w.branch2[0], kernel: 1),
            try BasicConv2d(w.branch2[0], w.branch2[1], kernel: 3, same: true),
            try BasicConv2d(w.branch2[1], w.branch2[2], kernel: 3, stride: 2),
        ]
        branch3 = MaxPool2d(kernel: 3, stride: 2)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [branch0, branch1, branch2] }
    public var pool: MaxPool2d { branch3 }
}
