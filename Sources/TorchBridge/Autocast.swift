import CTorch

/// Runs `body` (synchronously, on this thread) under libtorch's CPU autocast to `dtype`: convolutions and
/// matrix products cast their inputs and weights to it, the operations autocast lists as float32 stay
/// float32, and autograd records the casts so gradients reach float32 weights. The weights' casts are
/// cached for the scope and dropped when the outermost scope ends (as `torch.autocast`'s exit does), so a
/// scope never sees weights from before an optimizer step.
public func withAutocast<T>(_ dtype: DType, _ body: () throws -> T) throws -> T {
    var wasEnabled: Int32 = 0
    var previousType = FT_BFLOAT16
    try check(ft_autocast_cpu_set(1, dtype.code, &wasEnabled, &previousType))
    defer {
        _ = ft_autocast_cpu_set(wasEnabled, previousType, nil, nil)
        if wasEnabled == 0 { _ = ft_autocast_clear_cache() }
    }
    return try body()
}

extension Module {
    /// Stores the weight and bias of every convolution and linear layer of the tree in `dtype` (in place),
    /// which is what CPU autocast casts them to on every call: done once, for inference with weights that will
    /// not change, instead of once per autocast scope. Under autocast the outputs are bit-identical (the same
    /// rounding, earlier; a `dtype` tensor is not cast again); BatchNorm, PReLU and the rest keep float32, as
    /// autocast leaves them. Folding each BatchNorm into its convolution as well was measured and dropped:
    /// its bfloat16 bias moved LFW View 2 by 0.0013 (docs/benchmarks.md).
    public func castAutocastWeights(to dtype: DType) throws {
        for (_, module) in namedModules where module is Conv2d || module is Linear {
            for (_, tensor) in module.ownParameters { try tensor.setData(tensor.detached().to(dtype)) }
        }
    }
}
