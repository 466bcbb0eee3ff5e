import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Support

/// One connection to a PostgreSQL gallery, used by one caller at a time (a transaction is a run of statements
/// on one connection), made again when it is lost. While the server cannot be reached, a call fails at once
/// with `GalleryUnavailable` instead of waiting for a connect timeout each time: attempts are spaced by a
/// backoff that doubles from 0.1 s to 5 s and returns to 0.1 s after a success.
///
/// PostgresNIO's futures are waited on from the caller's thread (commands' main thread, the service's
/// blocking pool), never from an event loop.
final class PostgresLink: @unchecked Sendable {
    let location: PostgresLocation
    let logger: Logger
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var nextAttempt = Date.distantPast
    private var backoff = Backoff()
    private var closed = false
    private let sessionSetup: [String]
    /// Rows the statements of the current transaction inserted, updated or deleted, from their command tags
    /// (an INSERT that ON CONFLICT skips reports 0).
    private(set) var rowsChangedInTransaction = 0

    /// `sessionSetup`: statements run on every new connection (e.g. read-only transactions).
    init(_ location: PostgresLocation, sessionSetup: [String] = []) {
        self.location = location
        self.sessionSetup = sessionSetup
        logger = Logger(label: "facenet.gallery.postgres") { _ in SwiftLogNoOpLogHandler() }
    }

    /// Runs `body` on the connection, made first if there is none.
    func run<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let connection = try connected()
        do {
            return try body(connection)
        } catch {
            if Self.isConnectionLoss(error) || connection.isClosed {
                self.connection = nil
                Self.closeNow(connection)
                throw GalleryUnavailable("\(location): the connection to PostgreSQL was lost (\(Self.describe(error))); the change was not made")
            }
            throw error
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try run { connection in
            try execute("BEGIN", on: connection)
            rowsChangedInTransaction = 0
            let result: T
            do {
                result = try body(connection)
            } catch {
                try? execute("ROLLBACK", on: connection)
                throw error
            }
            try execute("COMMIT", on: connection)
            return result
        }
    }

    /// PostgresNIO requires every connection to be closed before it is released.
    deinit {
        if let connection { PostgresLink.closeNow(connection) }
    }

    func close() {
        lock.withLock {
            closed = true
            if let connection { try? connection.close().wait() }
            connection = nil
        }
    }

    // MARK: statements

    func rows(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [PostgresRow] {
        let result = try connection.query(query, logger: logger).wait()
        count(result.metadata)
        return result.rows
    }

    /// Runs a statement; how many rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery, on connection: PostgresConnection) throws -> Int {
        let metadata = try connection.query(query, logger: logger).wait().metadata
        count(metadata)
        return metadata.rows ?? 0
    }

    private func count(_ metadata: PostgresQueryMetadata) {
        if ["INSERT", "UPDATE", "DELETE"].contains(metadata.command) { rowsChangedInTransaction += metadata.rows ?? 0 }
    }

    /// Several statements separated by semicolons (a migration; none holds a semicolon of its own), one at a
    /// time: PostgresNIO sends every query through the extended protocol, which takes one statement.
    func script(_ sql: String, on connection: PostgresConnection) throws {
        for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            try execute(PostgresQuery(unsafeSQL: statement), on: connection)
        }
    }

    /// Streams a query's rows to `each` (on the event loop) without holding them all.
    func forEach(_ query: PostgresQuery, on connection: PostgresConnection, _ each: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        _ = try connection.query(query, logger: logger, each).wait()
    }

    // MARK: connecting

    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        guard !closed else { throw GalleryUnavailable("\(location): the gallery was closed") }
        guard Date() >= nextAttempt else {
            throw GalleryUnavailable("\(location): PostgreSQL cannot be reached; the next attempt is in \(String(format: "%.1f", nextAttempt.timeIntervalSinceNow)) s")
        }
        do {
            let made = try Self.connect(location, logger: logger).wait()
            do {
                for statement in sessionSetup { try execute(PostgresQuery(unsafeSQL: statement), on: made) }
            } catch {
                try? made.close().wait()
                throw error
            }
            connection = made
            backoff.succeeded()
            return made
        } catch let error as UserError {
            throw error
        } catch {
            nextAttempt = Date().addingTimeInterval(backoff.failed())
            if let refusal = Self.refusal(error) { throw UserError("\(location): \(refusal)") }
            throw GalleryUnavailable("\(location): cannot connect to PostgreSQL (\(Self.describe(error)))")
        }
    }

    /// Closes a connection and waits for it (PostgresNIO traps in debug builds on a connection released
    /// before it was closed); from an event loop, where nothing may wait, it only starts the close.
    static func closeNow(_ connection: PostgresConnection) {
        if MultiThreadedEventLoopGroup.currentEventLoop == nil {
            try? connection.close().wait()
        } else {
            let _: EventLoopFuture<Void> = connection.close()
        }
    }

    static func connect(_ location: PostgresLocation, logger: Logger) -> EventLoopFuture<PostgresConnection> {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        var configuration: PostgresConnection.Configuration
        do {
            if let socket = location.socketPath {
                configuration = .init(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
            } else {
                let tls: PostgresConnection.Configuration.TLS
                switch location.tls {
                case .disable: tls = .disable
                case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
                configuration = .init(
                    host: location.host, port: location.port, username: location.user, password: location.password,
                    database: location.database, tls: tls)
            }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        configuration.options.connectTimeout = .seconds(3)
        return PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 1, logger: logger)
    }

    // MARK: errors

    /// The server refused us for a reason retrying does not mend (authentication, no such database, no such
    /// role): a message for the user, not an outage.
    static func refusal(_ error: any Error) -> String? {
        guard let psql = error as? PSQLError else { return nil }
        if psql.code == .authMechanismRequiresPassword { return "the server asks for a password: give one in the URL or PGPASSWORD" }
        guard psql.code == .server, let state = psql.serverInfo?[.sqlState] else { return nil }
        // SQLSTATE classes 28 (invalid authorization) and 3D (invalid catalog name), PostgreSQL's appendix A.
        guard state.hasPrefix("28") || state.hasPrefix("3D") else { return nil }
        return psql.serverInfo?[.message] ?? "the server refused the connection (SQLSTATE \(state))"
    }

    /// A failure of the connection itself, as opposed to an error of one statement.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        // Outside PostgresNIO's own errors only the channel's and the socket's are the connection's: a decoding
        // or a message error is the statement's, and must not be reported as an outage.
        guard let psql = error as? PSQLError else { return error is ChannelError || error is IOError }
        switch psql.code {
        case .server:
            // Class 08 (connection exception) and 57P01-57P03 (the server shutting down or starting up).
            let state = psql.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return true
        default:
            return false
        }
    }

    /// PSQLError's own description hides everything (it may carry a query's values); this gives the server's
    /// message, or the kind of failure.
    static func describe(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let message = psql.serverInfo?[.message] { return message }
        if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
        return "\(psql.code)"
    }

    /// A statement's error as a message: the server's text and SQLSTATE.
    static func statementError(_ error: any Error, _ location: PostgresLocation) -> any Error {
        guard let psql = error as? PSQLError, psql.code == .server else { return error }
        return UserError("\(location): PostgreSQL error \(psql.serverInfo?[.sqlState] ?? "?"): \(psql.serverInfo?[.message] ?? "")")
    }
}

/// Waits between connection attempts: doubling from 0.1 s to at most 5 s.
struct Backoff {
    private(set) var delay = 0.1

    mutating func failed() -> Double {
        defer { delay = min(delay * 2, 5) }
        return delay
    }

    mutating func succeeded() { delay = 0.1 }
}
