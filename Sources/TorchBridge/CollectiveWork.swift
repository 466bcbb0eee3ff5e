import CTorch

/// An asynchronous collective started by `ProcessGroup` (runs on Gloo's threads).
public final class CollectiveWork: @unchecked Sendable {
    let handle: ft_collective_work
    /// The tensor being reduced in place, kept alive at least as long as the work handle.
    let tensor: Tensor

    init(owning handle: ft_collective_work, tensor: Tensor) {
        self.handle = handle
        self.tensor = tensor
    }

    /// Dropping the work without waiting lets the collective finish on its own; its tensor is then
    /// written at some later time.
    deinit { ft_collective_work_free(handle) }

    /// Returns once the collective is done; throws its failure (with Gloo's message).
    public func wait() throws { try check(ft_collective_work_wait(handle)) }
}
