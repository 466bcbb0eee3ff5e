import TorchBridge

/// Reduction-A (the paper's figure 7, k=192, l=192, m=256, n=384): 256 -> 896 channels, grid halved.
/// Branches: 3x3/2 conv; 1x1-3x3-3x3/2; 3x3/2 max pool; concatenated.
public final class Mixed6a: Module, InceptionReduction, @unchecked Sendable {
    public let branch0: BasicConv2d
    public let branch1: [BasicConv2d]
    public let branch2: MaxPool2d

    /// `trunk` is the number of input channels (256 in InceptionResNetV1).
    public init(trunk: Int = 256) throws {
        branch0 = try BasicConv2d(trunk, 384, kernel: 3, stride: 2)
        branch1 = [
            try BasicConv2d(trunk, 192, kernel: 1),
            try BasicConv2d(192, 192, kernel: 3, same: true),
            try BasicConv2d(192, 256, kernel: 3, stride: 2),
        ]
        branch2 = MaxPool2d(kernel: 3, stride: 2)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [[branch0], branch1] }
    public var pool: MaxPool2d { branch2 }
}
