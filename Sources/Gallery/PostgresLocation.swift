import Foundation
import Support

/// Where a PostgreSQL gallery is: `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE` (also
/// `postgresql://`), with libpq's rules for what the URL leaves out (PostgreSQL's documentation, "Connection
/// Strings" and "Environment Variables"): `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE` and
/// `PGSSLMODE` fill what the URL does not say; then host localhost, port 5432, the user's login name, and a
/// database named as the user. A host that starts with `/` is the folder of the server's Unix socket
/// (`?host=/run/postgresql`). The password is never part of `description`, so it is never logged.
public struct PostgresLocation: Equatable, Sendable, CustomStringConvertible {
    /// libpq's `sslmode` values that can be honoured without a certificate store of our own.
    public enum TLSMode: String, CaseIterable, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL gallery rather than a file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw UserError("'\(Self.redacted(text))' is not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let known: Set<String> = ["sslmode", "host", "port", "user", "password", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw UserError("\(Self.redacted(text)): unknown parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        host = given(url.host) ?? given(query["host"]) ?? given(environment["PGHOST"]) ?? "localhost"
        let portText = url.port.map(String.init) ?? given(query["port"]) ?? given(environment["PGPORT"]) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw UserError("\(Self.redacted(text)): port '\(portText)' is not a number from 1 to 65535")
        }
        self.port = port
        user = given(url.user) ?? given(query["user"]) ?? given(environment["PGUSER"]) ?? given(environment["USER"]) ?? "postgres"
        password = given(url.password) ?? given(query["password"]) ?? given(environment["PGPASSWORD"])
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = given(path) ?? given(query["dbname"]) ?? given(environment["PGDATABASE"]) ?? user
        let mode = given(query["sslmode"]) ?? given(environment["PGSSLMODE"]) ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: mode) else {
            throw UserError("\(Self.redacted(text)): sslmode '\(mode)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.tls = tls
    }

    /// The server's Unix socket, when the host is a folder.
    public var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    public var description: String {
        socketPath.map { "postgres://\(user)@/\(database)?host=\($0)" } ?? "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// `text` with any password in it replaced, for a message about a URL that could not be read.
    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text) else { return "the PostgreSQL URL" }
        if url.password != nil { url.password = "***" }
        url.queryItems = url.queryItems?.map { $0.name == "password" ? URLQueryItem(name: $0.name, value: "***") : $0 }
        return url.string ?? "the PostgreSQL URL"
    }
}
