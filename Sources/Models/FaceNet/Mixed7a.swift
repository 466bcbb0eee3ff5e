import TorchBridge

/// Reduction-B (the paper's figure 12): 896 -> 1792 channels, grid halved. Branches: 1x1-3x3/2 (384);
/// 1x1-3x3/2 (256); 1x1-3x3-3x3/2 (256); 3x3/2 max pool; concatenated.
public final class Mixed7a: Module, InceptionReduction, @unchecked Sendable {
    public let branch0: [BasicConv2d]
    public let branch1: [BasicConv2d]
    public let branch2: [BasicConv2d]
    public let branch3: MaxPool2d

    /// `trunk` is the number of input channels (896 in InceptionResNetV1).
    public init(trunk: Int = 896) throws {
        branch0 = [
            try BasicConv2d(trunk, 256, kernel: 1),
            try BasicConv2d(256, 384, kernel: 3, stride: 2),
        ]
        branch1 = [
            try BasicConv2d(trunk, 256, kernel: 1),
            try BasicConv2d(256, 256, kernel: 3, stride: 2),
        ]
        branch2 = [
            try BasicConv2d(trunk, 256, kernel: 1),
            try BasicConv2d(256, 256, kernel: 3, same: true),
            try BasicConv2d(256, 256, kernel: 3, stride: 2),
        ]
        branch3 = MaxPool2d(kernel: 3, stride: 2)
        super.init()
    }

    public var branches: [[BasicConv2d]] { [branch0, branch1, branch2] }
    public var pool: MaxPool2d { branch3 }
}
