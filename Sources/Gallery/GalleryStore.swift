import Foundation
import Support

/// What a gallery is to the commands and the service, whichever store holds it: an SQLite file
/// (`SQLiteGallery`, the embedded default) or a PostgreSQL database that several `facenet serve` replicas share
/// (`PostgresGallery`). Both hold the same tables, migrated by the same identifiers (`GallerySchema`), and
/// every write is one transaction that also advances the change counter.
public protocol GalleryStore: AnyObject, Sendable {
    /// How messages name the gallery: the file's path, or the database's URL without its password.
    var location: String { get }
    var model: ModelFingerprint { get }

    func threshold() throws -> StoredThreshold
    /// Advanced by every committed change of identities, faces or the threshold: a reader that holds an older
    /// value has missed a change.
    func changeCounter() throws -> Int
    /// Every identity with its number of faces, by name.
    func identities() throws -> [(identity: Identity, faces: Int)]
    func identity(named name: String) throws -> Identity?
    func faces(of identity: Identity) throws -> [StoredFace]
    /// The photos (SHA-256) already enrolled for `name`.
    func enrolledPhotos(of name: String) throws -> Set<String>
    /// Every face's id, identity and embedding, for the in-memory index.
    func allEmbeddings() throws -> GalleryEmbeddings
    /// The same as `allEmbeddings()`, reading only the embeddings `known` does not hold: every face's id and
    /// identity (16 bytes a face) and the identities' names, then the vectors of the faces added since. How a
    /// replica follows a change without reading every embedding again (a face's embedding and identity never
    /// change: a replaced face is a new row).
    func embeddings(updating known: GalleryEmbeddings) throws -> GalleryEmbeddings

    /// Adds `faces` to `name` (created if new) in one transaction; with `replace`, the identity's earlier
    /// faces are removed in the same transaction. A photo already enrolled for `name` is skipped (the unique
    /// (identity, photo) constraint decides, not a check-then-insert). Returns how many faces were added.
    @discardableResult
    func add(_ faces: [NewFace], to name: String, replace: Bool) throws -> Int
    /// Creates `name` without faces; false if it already exists (the unique name decides, so of two replicas
    /// creating one name at once exactly one gets true).
    func createIdentity(_ name: String) throws -> Bool
    /// Removes a person and every face of theirs.
    func remove(_ name: String) throws
    func rename(_ old: String, to new: String) throws
    /// Removes one face of `name` by its id; a face that is not `name`'s is an error naming both.
    func removeFace(_ id: Int64, of name: String) throws
    func setThreshold(_ threshold: StoredThreshold) throws

    /// Stores a key's hash with its role (no change to the change counter's subject); returns its id.
    @discardableResult
    func addAPIKey(sha256: String, role: APIKeyRole, label: String) throws -> Int64
    /// Every stored key (an unknown role, from a newer program, is left out rather than trusted).
    func apiKeys() throws -> [StoredAPIKey]
    /// "ok" for a sound gallery, otherwise what is wrong (SQLite: `PRAGMA integrity_check`; PostgreSQL, which
    /// checks its own pages: every embedding of the model's size).
    func integrityCheck() throws -> String

    /// Whether the store tells its readers of changes (PostgreSQL's LISTEN/NOTIFY); where it does not
    /// (SQLite), a reader compares `changeCounter()` from time to time.
    var announcesChanges: Bool { get }
    /// Calls `handler` (on a background queue, in order) with the change counter of every change committed
    /// by anyone, and with nil after a lost connection came back (changes may have been missed: compare
    /// `changeCounter()`). Does nothing on a store that does not announce changes.
    func observeChanges(_ handler: @escaping @Sendable (Int?) -> Void)
    /// Finishes with the store: SQLite copies its write-ahead log into the file; PostgreSQL closes its
    /// connections. Nothing committed depends on it.
    func close() throws
}

extension GalleryStore {
    @discardableResult
    public func add(_ faces: [NewFace], to name: String) throws -> Int { try add(faces, to: name, replace: false) }

    /// Refuses faces whose embedding size is not the gallery's model's, before any write.
    func checkSizes(_ faces: [NewFace]) throws {
        for face in faces where face.embedding.count != model.embeddingSize {
            throw UserError("\(face.sourcePath): embedding of size \(face.embedding.count), the gallery's model has \(model.embeddingSize)")
        }
    }
}

/// Every face of a gallery as the search index wants them: ids, identities and the embeddings back to back.
public struct GalleryEmbeddings: Sendable {
    public var faceIds: [Int64] = []
    public var identityIds: [Int64] = []
    public var names: [Int64: String] = [:]
    /// `faceIds.count` rows of the model's embedding size, row-major.
    public var vectors: [Float] = []

    public init() {}

    /// Each face's row in `faceIds` (and in `vectors`, times the dimension).
    func rows() -> [Int64: Int] { Dictionary(uniqueKeysWithValues: faceIds.enumerated().map { ($1, $0) }) }

    /// The listed faces whose rows `known` (`rows()` of the embeddings updated) does not hold, in batches of
    /// `size` (bounded statements).
    static func missing(from listed: [(face: Int64, identity: Int64)], known: [Int64: Int], size: Int = 500) -> [[Int64]] {
        let ids = listed.map(\.face).filter { known[$0] == nil }
        return stride(from: 0, to: ids.count, by: size).map { Array(ids[$0..<min($0 + size, ids.count)]) }
    }

    /// The faces `listed` (id and identity, in order) with their vectors from `self` where it has them (`rows`:
    /// its `rows()`) and from `fresh` otherwise; a listed face in neither was removed after the listing and is
    /// left out (the change that removed it is announced, and the next update agrees).
    func updated(
        listed: [(face: Int64, identity: Int64)], rows: [Int64: Int], names: [Int64: String], fresh: [Int64: [Float]], dimension: Int
    ) -> GalleryEmbeddings {
        var result = GalleryEmbeddings()
        result.names = names
        result.vectors.reserveCapacity(listed.count * dimension)
        for (face, identity) in listed {
            if let r = rows[face] {
                result.vectors += vectors[(r * dimension)..<((r + 1) * dimension)]
            } else if let vector = fresh[face] {
                result.vectors += vector
            } else {
                continue
            }
            result.faceIds.append(face)
            result.identityIds.append(identity)
        }
        return result
    }
}

/// The gallery's database cannot be reached (a PostgreSQL server stopped or the network down): the change
/// asked for was not made. `facenet serve` answers it with 503 and keeps recognising from memory.
public struct GalleryUnavailable: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The `created` value of every row, in both stores: ISO 8601 in UTC.
enum GalleryTime {
    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
}
