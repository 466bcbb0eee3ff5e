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
