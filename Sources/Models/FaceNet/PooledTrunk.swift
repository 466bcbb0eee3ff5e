import TorchBridge

/// A network whose layers up to its features are one list in forward order, `trunk`, followed by a global
/// average pool: the forward pass (`features`) and the exporter's lowering both walk the same list.
public protocol PooledTrunk {
    var trunk: [any Layer] { get }
}

extension PooledTrunk {
    /// The pooled features [N, C] before the head.
    public func features(_ x: Tensor) throws -> Tensor {
        let grid = try trunk.reduce(x) { try $1($0) }
        return try F.adaptiveAvgPool2d(grid, outputSize: (1, 1)).flattened(from: 1)
    }
}
