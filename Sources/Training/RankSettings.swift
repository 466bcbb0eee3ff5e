import Foundation
import Support

/// Where this process sits in a data-parallel run, in torchrun's conventions: the environment's `RANK`,
/// `WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR` and `MASTER_PORT` (what `facenet launch`, torchrun and a
/// Slurm script set), each overridden by the command line's `--rank`, `--world-size`, `--master HOST:PORT`.
/// Rank 0 hosts the rendezvous store (c10d's TCPStore) at the master's address.
public struct RankSettings: Sendable, Equatable {
    public var rank: Int
    public var worldSize: Int
    public var localRank: Int
    public var masterHost: String
    public var masterPort: Int
    /// Seconds a collective or the rendezvous may wait for a peer before the rank gives up (`--dist-timeout`,
    /// or `FACENET_DIST_TIMEOUT` from `facenet launch`; Gloo's own default is 30 minutes, far too long to
    /// notice a lost machine).
    public var timeout: Double
    /// The network interface Gloo binds (`--dist-interface`, as GLOO_SOCKET_IFNAME); nil: the one the
    /// master's address is reached through.
    public var interface: String?

    /// torchrun's default port.
    public static let defaultPort = 29500
    public static let defaultTimeout = 60.0

    /// The settings the environment and the options give, or nil for one process (no world size anywhere,
    /// or a world of one).
    public static func resolve(
        rank: Int?, worldSize: Int?, master: String?, timeout: Double?, interface: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RankSettings? {
        func number(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text) else { throw UserError("the environment's \(name) must be a whole number, got '\(text)'") }
            return value
        }
        guard let size = try worldSize ?? number("WORLD_SIZE") else {
            if rank != nil || master != nil { throw UserError("--rank and --master need --world-size (or the environment's WORLD_SIZE)") }
            return nil
        }
        guard size > 1 || rank != nil else { return nil }
        guard size >= 1 else { throw UserError("--world-size must be at least 1, got \(size)") }
        guard let rank = try rank ?? number("RANK") else {
            throw UserError("a world of \(size) ranks needs this process's rank: --rank or the environment's RANK")
        }
        guard (0..<size).contains(rank) else { throw UserError("--rank must be in 0..<\(size), got \(rank)") }
        var host = environment["MASTER_ADDR"] ?? "127.0.0.1"
        var port = try number("MASTER_PORT") ?? defaultPort
        if let master {
            (host, port) = try parse(master: master)
        }
        guard (1...65535).contains(port) else { throw UserError("the master's port must be in 1...65535, got \(port)") }
        let wait = try timeout ?? environment["FACENET_DIST_TIMEOUT"].map {
            guard let seconds = Double($0) else { throw UserError("the environment's FACENET_DIST_TIMEOUT must be a number, got '\($0)'") }
            return seconds
        } ?? defaultTimeout
        guard wait > 0, wait.isFinite else { throw UserError("--dist-timeout must be a positive number of seconds, got \(wait)") }
        return RankSettings(
            rank: rank, worldSize: size, localRank: try number("LOCAL_RANK") ?? rank, masterHost: host, masterPort: port,
            timeout: wait, interface: interface ?? environment["GLOO_SOCKET_IFNAME"])
    }

    /// `HOST:PORT` (an IPv6 host in brackets: `[::1]:29500`).
    public static func parse(master: String) throws -> (String, Int) {
        guard let colon = master.lastIndex(of: ":"), let port = Int(master[master.index(after: colon)...]) else {
            throw UserError("--master must be HOST:PORT, got '\(master)'")
        }
        var host = String(master[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw UserError("--master must be HOST:PORT, got '\(master)'") }
        return (host, port)
    }
}
