import TorchBridge

/// The last stem block of Inception-ResNet-v2 as the reference implementations build it (TF-slim's
/// `Mixed_5b`, Keras' `mixed_5b`, timm's `Mixed_5b`; the paper's figure 3 ends differently, in 384
/// channels): 192 -> 320 channels on the same grid. Branches: 1x1 (96); 1x1 (48) - 5x5 (64);
/// 1x1 (64) - 3x3 (96) - 3x3 (96); 3x3 average pool (stride 1, padded cells not counted) - 1x1 (64).
public final class Mixed5b: Module, Layer, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let branch2: [BasicConv2d]
    /// The pool then its 1x1 unit (`branch3.1` holds the weights, as in timm's state dict).
    public let branch3: [any Layer & Module]

    /// `trunk` is the number of input channels (192 in Inception-ResNet-v2).
    public init(trunk: Int) throws {
        branch0 = try BasicConv2d(trunk, 96, kernel: 1)
        branch1 = [try BasicConv2d(trunk, 48, kernel: 1), try BasicConv2d(48, 64, kernel: 5, same: true)]
        branch2 = [
            try BasicConv2d(trunk, 64, kernel: 1),
            try BasicConv2d(64, 96, kernel: 3, same: true),
            try BasicConv2d(96, 96, kernel: 3, same: true),
        ]
        branch3 = [AvgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false), try BasicConv2d(trunk, 64, kernel: 1)]
        super.init()
    }

    /// Every branch in concatenation order, each a chain of layers: the forward pass and the lowering walk it.
    public var branches: [[any Layer]] { [[branch0], branch1, branch2, branch3] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Tensor.cat(branches.map { branch in try branch.reduce(x) { try $1($0) } }, dim: 1)
    }
}
