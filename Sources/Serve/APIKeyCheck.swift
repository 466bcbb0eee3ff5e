import Crypto
import Foundation
import Gallery
import HTTPTypes
import Hummingbird

/// API keys: made by `facenet serve keys add`, sent in the `x-api-key` header, stored as their SHA-256 (a
/// stolen gallery file gives no key). No key: 401; a key of too low a role: 403.
final class APIKeyCheck: @unchecked Sendable {
    static let header = HTTPField.Name("x-api-key")!
    private let database: any GalleryStore
    private let lock = NSLock()
    private var roles: [String: APIKeyRole] = [:]
    private var reloaded = Date.distantPast

    init(_ database: any GalleryStore) throws {
        self.database = database
        try reload()
    }

    /// Re-reads the keys (a key added while the service runs is known within a second), at most once a second
    /// after the first: otherwise every request with a made-up key would cost a database read.
    private func reload() throws {
        let due = lock.withLock { () -> Bool in
            guard Date().timeIntervalSince(reloaded) >= 1 else { return false }
            reloaded = Date()
            return true
        }
        guard due else { return }
        let keys = try database.apiKeys()
        lock.withLock { roles = Dictionary(keys.map { ($0.keySHA256, $0.role) }, uniquingKeysWith: max) }
    }

    func role(ofHash hash: String) -> APIKeyRole? {
        lock.lock()
        defer { lock.unlock() }
        return roles[hash]
    }

    /// Refuses the request unless its key has `needed`'s role or more.
    func authorize(_ request: Request, needed: APIKeyRole) throws {
        guard let key = request.headers[Self.header], !key.isEmpty else {
            throw APIError(.unauthorized, .missingApiKey, "this route needs an API key with role '\(needed.rawValue)' in the x-api-key header")
        }
        let hash = Self.hash(key)
        var role = self.role(ofHash: hash)
        if role == nil {
            try reload()
            role = self.role(ofHash: hash)
        }
        guard let role else { throw APIError(.unauthorized, .invalidApiKey, "the x-api-key header holds no key of this gallery") }
        guard role.allows(needed) else {
            throw APIError(.forbidden, .insufficientRole, "this route needs role '\(needed.rawValue)'; the key's role is '\(role.rawValue)'")
        }
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new key: 32 random bytes from the system's generator, hex (64 characters), prefixed so that it is
    /// recognisable in a config file.
    static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return "fnk_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// `facenet serve keys add`: makes a key, stores its hash in the gallery, returns the key (shown once).
public enum APIKeys {
    public static func add(role: APIKeyRole, label: String, gallery: any GalleryStore) throws -> String {
        let key = APIKeyCheck.makeKey()
        try gallery.addAPIKey(sha256: APIKeyCheck.hash(key), role: role, label: label)
        return key
    }
}
