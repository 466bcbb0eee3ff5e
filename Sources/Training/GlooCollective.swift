import Foundation
import Support
import TorchBridge

/// The `Collective` of a data-parallel run: libtorch's c10d (`ProcessGroup`: TCPStore + ProcessGroupGloo)
/// and DDP-style gradient buckets (`GradientBuckets`).
///
/// A failed collective (a peer's connection closed, or nothing for `timeout` seconds) names the rank that
/// was lost: every rank bumps its counter `heartbeat/<rank>` in the store once a second from a thread of
/// its own and watches the others'; the ranks whose counter stood still for a few seconds are the lost
/// ones (a killed or stopped process beats no more). When the store itself is gone, rank 0, which hosts
/// it, is.
public final class GlooCollective: Collective {
    public let settings: RankSettings
    let group: ProcessGroup
    let bucketBytes: Int
    let overlap: Bool
    private let heartbeat: Heartbeat

    public var rank: Int { settings.rank }
    public var worldSize: Int { settings.worldSize }

    /// Joins the group (waiting up to the timeout for every rank); `bucketBytes` and `overlap` shape the
    /// gradient all-reduce (DDP's 25 MiB buckets, started during backward).
    public init(_ settings: RankSettings, bucketBytes: Int = GradientBuckets.defaultCapBytes, overlap: Bool = true) throws {
        self.settings = settings
        self.bucketBytes = bucketBytes
        self.overlap = overlap
        do {
            group = try ProcessGroup(
                rank: settings.rank, worldSize: settings.worldSize, masterHost: settings.masterHost,
                masterPort: settings.masterPort, timeout: settings.timeout, interface: settings.interface)
        } catch {
            throw UserError(
                "rank \(settings.rank) of \(settings.worldSize): no rendezvous with every rank at "
                    + "\(settings.masterHost):\(settings.masterPort) within \(Int(settings.timeout)) s: \(error)")
        }
        heartbeat = Heartbeat(group: group, worldSize: settings.worldSize, rank: settings.rank)
        heartbeat.start()
    }

    deinit { heartbeat.stop() }

    public func allGather(_ tensor: Tensor) throws -> Tensor { try named { try group.allGather(tensor) } }

    public func gradientReducer(for parameters: [Tensor]) throws -> any GradientReducer {
        Reducer(buckets: try GradientBuckets(parameters: parameters, group: group, capBytes: bucketBytes, overlap: overlap), owner: self)
    }

    public func broadcast(_ tensors: [Tensor], root: Int) throws {
        try named { try withNoGrad { for tensor in tensors { try group.broadcast(tensor, root: root) } } }
    }

    public func barrier() throws { try named { try group.barrier(timeout: settings.timeout) } }

    public func anyRank(_ flag: Bool) throws -> Bool {
        let value = try Tensor([Float(flag ? 1 : 0)], shape: [1])
        try named { try group.allReduceSum(value) }
        return try value.item() > 0
    }

    public func atRoot(_ body: () throws -> Void) throws {
        let key = "root-done"
        if rank == 0 {
            try body()
            try named { _ = try heartbeat.store { try group.storeAdd(key, 1) } }
        } else {
            let expected = try named { try heartbeat.store { try group.storeAdd("root-waits/\(rank)", 1) } }
            while try named({ try heartbeat.store { try group.storeAdd(key, 0) } }) < expected {
                if heartbeat.silentRanks().contains(0) { throw UserError(lostMessage([0], cause: "while rank 0 was validating")) }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        try barrier()  // rank 0 (and its store) stays until every rank has seen the count
    }

    /// Runs a collective; a failure becomes an error naming the lost ranks.
    func named<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw UserError(lostMessage(heartbeat.lost(), cause: "\(error)"))
        }
    }

    func lostMessage(_ lost: [Int], cause: String) -> String {
        let who =
            lost.isEmpty
            ? "a collective failed"
            : lost == [0] && !heartbeat.storeReachable
                ? "lost rank 0 (it hosts the store at \(settings.masterHost):\(settings.masterPort))"
                : "lost rank \(lost.map(String.init).joined(separator: ", ")) (no heartbeat for \(Int(Heartbeat.silence)) s)"
        return "rank \(rank) of \(worldSize): \(who): \(cause)"
    }

    /// `GradientBuckets` behind the trainer's reducer (its hooks start the buckets during backward); `finish`
    /// names a lost rank.
    final class Reducer: GradientReducer {
        let buckets: GradientBuckets
        unowned let owner: GlooCollective
        init(buckets: GradientBuckets, owner: GlooCollective) {
            self.buckets = buckets
            self.owner = owner
        }
        func finish() throws { try owner.named { try buckets.finish() } }
        var lastWaitSeconds: Double { buckets.lastWaitSeconds }
    }
}

/// Each rank's liveness counter in the store, bumped and watched once a second on a thread of its own.
final class Heartbeat: @unchecked Sendable {
    /// Seconds without a beat after which a rank counts as lost.
    static let silence = 3.0
    let group: ProcessGroup
    let worldSize: Int
    let rank: Int
    /// Guards the fields below; `storeLock` makes this thread's store operations and the trainer's take turns.
    private let lock = NSLock()
    private let storeLock = NSLock()
    private var running = true
    private var lastSeen: [Int: (count: Int, at: Date)] = [:]
    private var reachable = true
    private var thread: Thread?

    init(group: ProcessGroup, worldSize: Int, rank: Int) {
        self.group = group
        self.worldSize = worldSize
        self.rank = rank
        for other in 0..<worldSize where other != rank { lastSeen[other] = (-1, Date()) }
    }

    var storeReachable: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reachable
    }

    func store<T>(_ body: () throws -> T) throws -> T {
        storeLock.lock()
        defer { storeLock.unlock() }
        return try body()
    }

    func start() {
        let thread = Thread { [self] in
            while isRunning {
                beat()
                Thread.sleep(forTimeInterval: 1)
            }
        }
        thread.name = "heartbeat"
        thread.start()
        self.thread = thread
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }

    private func beat() {
        do {
            try store { _ = try group.storeAdd("heartbeat/\(rank)", 1) }
            for other in 0..<worldSize where other != rank {
                let count = try store { try group.storeAdd("heartbeat/\(other)", 0) }
                lock.lock()
                if lastSeen[other]?.count != count { lastSeen[other] = (count, Date()) }
                lock.unlock()
            }
        } catch {
            lock.lock()
            reachable = false
            lock.unlock()
        }
    }

    /// The ranks silent for `silence` seconds (all but this one's own when the store is gone: rank 0's).
    func lost() -> [Int] {
        // A failure right after a rank died may come before the silence has lasted: wait it out once.
        let deadline = Date().addingTimeInterval(Self.silence + 1.5)
        while Date() < deadline {
            let silent = silentRanks()
            if !silent.isEmpty { return silent }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return silentRanks()
    }

    func silentRanks() -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        if !reachable { return rank == 0 ? [] : [0] }
        let now = Date()
        return (0..<worldSize).filter { other in
            guard let seen = lastSeen[other] else { return false }
            return now.timeIntervalSince(seen.at) >= Self.silence
        }
    }
}
