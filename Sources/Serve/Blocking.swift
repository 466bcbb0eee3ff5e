import Dispatch

/// Runs blocking work (SQLite, image decoding) on Dispatch's global pool instead of Swift's cooperative
/// threads, so that a slow disk or a large photo never stalls the tasks that serve other requests.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}
