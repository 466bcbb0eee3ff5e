import CTorch

/// A group of data-parallel ranks over libtorch's c10d: a TCPStore for rendezvous and shared keys, and a
/// ProcessGroupGloo for CPU collectives (as `torch.distributed.init_process_group("gloo", ...)`).
///
/// Every rank must issue the same collectives in the same order (Gloo matches them by issue order). A
/// failure (a peer gone, "Connection closed by peer"; a timeout) throws a `TorchError` carrying Gloo's
/// message, and the group cannot be used after it.
public final class ProcessGroup: @unchecked Sendable {
    let handle: ft_process_group
    public let rank: Int
    public let worldSize: Int

    /// Joins the group; returns once all `worldSize` ranks have (or throws after `timeout`).
    /// - Parameters:
    ///   - masterHost, masterPort: where rank 0 serves the TCPStore (it listens on the port).
    ///   - timeout: seconds, for the rendezvous, every collective and every store operation
    ///     (torch.distributed's default is 30 minutes).
    ///   - interface: the network interface Gloo uses (e.g. "eth0", as GLOO_SOCKET_IFNAME); nil uses the
    ///     local address that routes to `masterHost` (works on loopback and across hosts on one network).
    public init(
        rank: Int, worldSize: Int, masterHost: String, masterPort: Int, timeout: Double = 1800,
        interface: String? = nil
    ) throws {
        var out: ft_process_group?
        let status: Int32
        if let interface {
            status = ft_process_group_new(
                &out, Int32(rank), Int32(worldSize), masterHost, Int32(masterPort), timeout, interface)
        } else {
            status = ft_process_group_new(&out, Int32(rank), Int32(worldSize), masterHost, Int32(masterPort), timeout, nil)
        }
        try check(status)
        handle = out!
        self.rank = rank
        self.worldSize = worldSize
    }

    deinit { ft_process_group_free(handle) }

    /// Every rank's `tensor` (same shape and dtype on all ranks) concatenated along dim 0 in rank order:
    /// [n, ...] on each rank gives [worldSize * n, ...] (a scalar gives [worldSize]).
    public func allGather(_ tensor: Tensor) throws -> Tensor {
        try make { ft_process_group_all_gather($0, handle, tensor.handle) }
    }

    /// Replaces `tensor` (contiguous) with its sum over the ranks.
    public func allReduceSum(_ tensor: Tensor) throws {
        try check(ft_process_group_all_reduce_sum(handle, tensor.handle))
    }

    /// Starts summing `tensor` (contiguous) over the ranks in place; read it only after `wait()`.
    public func allReduceSumAsync(_ tensor: Tensor) throws -> CollectiveWork {
        var out: ft_collective_work?
        try check(ft_process_group_all_reduce_sum_async(&out, handle, tensor.handle))
        return CollectiveWork(owning: out!, tensor: tensor)
    }

    /// Replaces `tensor` (contiguous, same shape on every rank) with rank `root`'s.
    public func broadcast(_ tensor: Tensor, root: Int) throws {
        try check(ft_process_group_broadcast(handle, tensor.handle, Int32(root)))
    }

    /// Returns once every rank has reached the barrier; throws after min(timeout, the group's timeout)
    /// seconds.
    public func barrier(timeout: Double) throws {
        try check(ft_process_group_barrier(handle, timeout))
    }

    // MARK: the shared store (keys apart from Gloo's), with the group's timeout

    public func storeSet(_ key: String, _ value: [UInt8]) throws {
        try value.withUnsafeBytes { raw in
            try check(ft_process_group_store_set(handle, key, raw.baseAddress, raw.count))
        }
    }

    /// The value at `key`, waiting for it to be set (throws after the group's timeout).
    public func storeGet(_ key: String) throws -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var size = 0
        try check(ft_process_group_store_get(handle, key, &buffer, &size))
        defer { ft_buffer_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: size))
    }

    /// Adds `delta` to the counter at `key` (0 when absent); returns the new value.
    @discardableResult
    public func storeAdd(_ key: String, _ delta: Int) throws -> Int {
        var value: Int64 = 0
        try check(ft_process_group_store_add(handle, key, Int64(delta), &value))
        return Int(value)
    }
}
