/// Average pooling as a module, for networks whose forward pass is a list of layers (no tensors of its own).
/// `countIncludePad` false divides each window by its cells inside the input, as TensorFlow's SAME pooling does.
public final class AvgPool2d: Module, Layer, @unchecked Sendable {
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let countIncludePad: Bool

    public init(kernel: Int, stride: Int, padding: Int = 0, countIncludePad: Bool = true) {
        self.kernel = (kernel, kernel)
        self.stride = (stride, stride)
        self.padding = (padding, padding)
        self.countIncludePad = countIncludePad
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.avgPool2d(x, kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad)
    }
}
