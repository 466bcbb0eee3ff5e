import Foundation

/// Produces items 0..<count on a background thread, keeping up to `depth` finished items ahead of the
/// consumer: decoding and preprocessing run while the network computes the previous batch.
public final class Prefetcher<Item>: @unchecked Sendable {
    /// Shared by the consumer and the producing thread; the thread holds it strongly, so it outlives the
    /// Prefetcher if the consumer lets go early.
    private final class State: @unchecked Sendable {
        let count: Int
        let depth: Int
        let setUp: () -> Void
        let produce: (Int) -> Item
        var ready: [Int: Item] = [:]
        let condition = NSCondition()
        var next = 0
        var consumed = 0
        var cancelled = false

        init(count: Int, depth: Int, setUp: @escaping () -> Void, produce: @escaping (Int) -> Item) {
            self.count = count
            self.depth = depth
            self.setUp = setUp
            self.produce = produce
        }

        func run() {
            setUp()
            while true {
                condition.lock()
                while !cancelled && next < count && next - consumed >= depth { condition.wait() }
                if cancelled || next >= count {
                    condition.unlock()
                    return
                }
                let index = next
                next += 1
                condition.unlock()
                let item = produce(index)
                condition.lock()
                ready[index] = item
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    private let state: State

    /// `setUp` runs once on the producing thread before the first item (e.g. `Torch.setThreadsOfThisThread(1)`
    /// when `produce` runs libtorch operators).
    public init(count: Int, depth: Int = 2, setUp: @escaping () -> Void = {}, produce: @escaping (Int) -> Item) {
        state = State(count: count, depth: max(1, depth), setUp: setUp, produce: produce)
        let state = self.state
        let thread = Thread { state.run() }
        thread.name = "facenet.prefetch"
        thread.start()
    }

    deinit { cancel() }

    /// The next item in order, waiting for it if needed; nil after the last one.
    public func nextItem() -> Item? {
        state.condition.lock()
        defer { state.condition.unlock() }
        guard state.consumed < state.count else { return nil }
        while state.ready[state.consumed] == nil { state.condition.wait() }
        let item = state.ready.removeValue(forKey: state.consumed)
        state.consumed += 1
        state.condition.broadcast()
        return item
    }

    /// Stops producing (an item being produced finishes; nothing new starts).
    public func cancel() {
        state.condition.lock()
        state.cancelled = true
        state.condition.broadcast()
        state.condition.unlock()
    }
}
