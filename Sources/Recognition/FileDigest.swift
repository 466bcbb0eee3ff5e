import Crypto
import Foundation
import Support

/// SHA-256 of files, hex: a photo's identity in the gallery (so a photo is enrolled once per person) and the
/// model's fingerprint.
public enum FileDigest {
    public static func sha256(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the file in 4 MB pieces, so a large weights file is never held whole.
    public static func sha256(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw UserError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let piece = handle.readData(ofLength: 4 << 20)
            if piece.isEmpty { break }
            hasher.update(data: piece)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
