/// Max pooling as a module, for networks whose forward pass is a list of layers (no tensors of its own).
public final class MaxPool2d: Module, Layer, @unchecked Sendable {
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)

    public init(kernel: Int, stride: Int, padding: Int = 0) {
        self.kernel = (kernel, kernel)
        self.stride = (stride, stride)
        self.padding = (padding, padding)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.maxPool2d(x, kernel: kernel, stride: stride, padding: padding)
    }
}
