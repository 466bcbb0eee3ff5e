import Foundation
import GRDB

/// What an API key of `facenet serve` may do.
public enum APIKeyRole: String, CaseIterable, Codable, Sendable, Comparable {
    /// Detect, embed, verify, recognize, list subjects and faces.
    case read
    /// Also enroll and delete.
    case write

    /// Whether a key of this role may call a route that needs `needed`.
    public func allows(_ needed: APIKeyRole) -> Bool { self >= needed }

    public static func < (a: APIKeyRole, b: APIKeyRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One stored key: the SHA-256 (hex) of the key, never the key itself.
public struct StoredAPIKey: Equatable, Sendable {
    public let id: Int64
    public let keySHA256: String
    public let role: APIKeyRole
    public let label: String
    public let created: String
}

extension SQLiteGallery {
    /// Stores a key's hash with its role; returns its row id.
    @discardableResult
    public func addAPIKey(sha256: String, role: APIKeyRole, label: String) throws -> Int64 {
        // Not through `write`: a key is no change to identities or faces (the change counter's subject).
        try Self.guarded(path) {
            try pool.write { db in
                try db.execute(
                sql: "INSERT INTO api_keys (key_sha256, role, label, created) VALUES (?, ?, ?, ?)",
                    arguments: [sha256, role.rawValue, label, GalleryTime.now()])
                return db.lastInsertedRowID
            }
        }
    }

    /// Every stored key (an unknown role, from a newer program, is left out rather than trusted).
    public func apiKeys() throws -> [StoredAPIKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, key_sha256, role, label, created FROM api_keys ORDER BY id").compactMap { row in
                guard let role = APIKeyRole(rawValue: row["role"]) else { return nil }
                return StoredAPIKey(id: row["id"], keySHA256: row["key_sha256"], role: role, label: row["label"], created: row["created"])
            }
        }
    }
}
