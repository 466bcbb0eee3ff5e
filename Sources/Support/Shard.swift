/// `--shard k/N`: the images whose index in the sorted list is `k` modulo `N` (0 <= k < N), so N processes
/// given 0/N ... (N-1)/N split a dataset without overlap and every image is in exactly one shard.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let all = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count > 0 && index >= 0 && index < count, "shard \(index)/\(count)")
        self.index = index
        self.count = count
    }

    /// Parses "k/N"; `UserError` naming the text otherwise.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n > 0, k >= 0, k < n else {
            throw UserError("shard '\(text)' is not k/N with 0 <= k < N (e.g. 0/4 ... 3/4)")
        }
        self.init(index: k, count: n)
    }

    public func contains(_ position: Int) -> Bool { position % count == index }

    public var description: String { "\(index)/\(count)" }
}
