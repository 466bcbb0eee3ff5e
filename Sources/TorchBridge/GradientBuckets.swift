import CTorch

/// Averages gradients over a `ProcessGroup` in buckets, as PyTorch's DistributedDataParallel (Li et al.,
/// "PyTorch Distributed", VLDB 2020): parameters in reverse order packed into flat buckets of about
/// `capBytes`, each all-reduced (SUM) in one call, then divided by the world size.
///
/// Per step: zero the gradients, forward, `backward()`, then `finish()`, which sets every parameter's
/// `.grad` to the mean over the ranks of what `.grad` holds after backward (as DDP; a parameter without a
/// gradient counts as zeros). Gradients left from the last step (equal on every rank) are kept and the
/// mean added to them. With `overlap`, one backward per `finish()`.
/// With `overlap`, hooks on the parameters start each bucket's all-reduce during backward, as soon as it
/// and every bucket before it are complete (the same order on every rank, as Gloo needs); a failure in a
/// hook makes `backward()` throw. Without it, `finish()` does all the communication after backward.
public final class GradientBuckets: @unchecked Sendable {
    /// DDP's default `bucket_cap_mb` (torch.nn.parallel.DistributedDataParallel).
    public static let defaultCapBytes = 25 << 20

    let handle: ft_grad_buckets
    public let group: ProcessGroup
    public let parameters: [Tensor]
    public let overlap: Bool

    /// - Parameters:
    ///   - parameters: the trainable parameters (leaves that require grad), in the model's order.
    ///   - capBytes: a bucket is closed once it holds at least this many bytes; 0 puts each parameter in
    ///     its own bucket (one all-reduce per tensor, for comparison).
    public init(parameters: [Tensor], group: ProcessGroup, capBytes: Int = defaultCapBytes, overlap: Bool) throws {
        let handles: [ft_tensor?] = parameters.map(\.handle)
        var out: ft_grad_buckets?
        try withExtendedLifetime(parameters) {
            try check(ft_grad_buckets_new(&out, group.handle, handles, Int32(handles.count), Int64(capBytes), overlap ? 1 : 0))
        }
        handle = out!
        self.group = group
        self.parameters = parameters
        self.overlap = overlap
    }

    /// Removes the hooks.
    deinit { ft_grad_buckets_free(handle) }

    /// After backward: all-reduces the buckets not yet started, waits for all, and writes the mean
    /// gradients into the parameters' `.grad`.
    public func finish() throws { try check(ft_grad_buckets_finish(handle)) }

    /// Removes the hooks; `finish()` then reads `.grad` after backward, as without overlap.
    public func remove() throws { try check(ft_grad_buckets_remove_hooks(handle)) }

    public var bucketCount: Int {
        var n: Int32 = 0
        _ = ft_grad_buckets_count(handle, &n)
        return Int(n)
    }

    /// The bucket of `parameters[index]` (bucket 0 holds the last parameters).
    public func bucket(ofParameter index: Int) throws -> Int {
        var b: Int32 = 0
        try check(ft_grad_buckets_bucket_of(handle, Int32(index), &b))
        return Int(b)
    }

    /// Seconds the last `finish()` spent waiting for all-reduces to complete.
    public var lastWaitSeconds: Double {
        var s = 0.0
        _ = ft_grad_buckets_wait_seconds(handle, &s)
        return s
    }
}
