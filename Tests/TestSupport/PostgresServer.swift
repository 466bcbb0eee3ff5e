import Foundation
import XCTest

/// A throw-away PostgreSQL 15 server for one test: `initdb` in a temporary folder (trust authentication, a
/// role named `facenet`), `pg_ctl start` on a free loopback port with its socket in the same folder, and
/// `pg_ctl stop` plus removal of the folder at the end. Debian's `postgresql-15` (scripts/setup.sh installs it)
/// refuses to run as root, so as root the server runs as the `postgres` user, which the package creates.
public final class PostgresServer {
    public static let binaries = "/usr/lib/postgresql/15/bin"
    public let folder: String
    public let port: Int
    private var running = false

    /// `postgres://facenet@127.0.0.1:PORT/DATABASE`.
    public func url(_ database: String = "gallery") -> String { "postgres://facenet@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Skips the calling test where PostgreSQL 15's server is not installed.
    public static func require() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binaries + "/initdb"), "PostgreSQL 15's server is not installed (scripts/setup.sh installs postgresql-15)")
    }

    public init(databases: [String] = ["gallery"]) throws {
        try Self.require()
        folder = NSTemporaryDirectory() + "facenet-postgres-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if Self.asRoot { try Self.check(Subprocess.run("/bin/chown", ["postgres:postgres", folder])) }
        port = try LoopbackPort.free()
        try run("initdb", ["-D", folder + "/data", "-U", "facenet", "--auth=trust", "--no-sync", "-E", "UTF8"])
        try start()
        for database in databases { try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "facenet", database]) }
    }

    /// Starts the server (again, after `stop`), waiting until it accepts connections.
    public func start() throws {
        try run("pg_ctl", [
            "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "30", "start",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder) -c fsync=off -c full_page_writes=off",
        ])
        running = true
    }

    /// Stops the server: `fast` ends every session at once (clients see their connections close).
    public func stop(mode: String = "fast") throws {
        guard running else { return }
        try run("pg_ctl", ["-D", folder + "/data", "-m", mode, "-w", "-t", "30", "stop"])
        running = false
    }

    /// Runs SQL through psql; its output (unaligned, tuples only).
    @discardableResult
    public func sql(_ statement: String, database: String = "gallery") throws -> String {
        try run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "facenet", "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", statement])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        try? stop(mode: "immediate")
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Through Python's subprocess, which closes every inherited descriptor in the child: the server that
    /// `pg_ctl start` leaves running would otherwise keep one of Foundation's `Process` descriptors open, and
    /// `waitUntilExit` would never return.
    @discardableResult
    private func run(_ program: String, _ arguments: [String]) throws -> String {
        let command = (Self.asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [Self.binaries + "/" + program] + arguments
        let launcher = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], stdin=subprocess.DEVNULL))"
        let result = try Subprocess.run("/usr/bin/python3", ["-c", launcher] + command, in: folder)
        try Self.check(result, program)
        return result.output
    }

    private static func check(_ result: FacenetProcess.Result, _ what: String = "chown") throws {
        guard result.status == 0 else { throw PostgresServerError(message: "\(what) failed (\(result.status)): \(result.text)") }
    }

    private static var asRoot: Bool { getuid() == 0 }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
