import Dispatch
import TorchBridge

/// Runs blocking work (SQLite, image decoding, a detector's pyramid, a search) on Dispatch's global pool
/// instead of Swift's cooperative threads, so that a slow disk or a large photo never stalls the tasks that
/// serve other requests. Its libtorch operations run on one thread: the model's thread has the cores
/// (Torch.setThreadsOfThisThread says why more OpenMP teams than cores cost every parallel region).
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            Torch.setThreadsOfThisThread(1)
            continuation.resume(with: Result { try body() })
        }
    }
}
