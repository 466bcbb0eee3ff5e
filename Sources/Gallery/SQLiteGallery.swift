import Foundation
import GRDB
import Support

/// A gallery file, the embedded store: SQLite in WAL mode (readers never wait for a writer; a killed writer
/// leaves the last committed state), foreign keys on, `secure_delete` on (a removed person's rows are overwritten with
/// zeros, not merely unlinked). Every SQLite failure a user can cause (not a database, damaged, locked)
/// becomes a `UserError` naming the file.
public final class SQLiteGallery: GalleryStore, @unchecked Sendable {
    public let path: String
    public var location: String { path }
    /// A pool (WAL: one writer, concurrent readers) for galleries opened to change them; a read-only queue
    /// otherwise, which writes nothing at all (GRDB's pool makes a write when it opens a file).
    let pool: any DatabaseWriter
    public let readOnly: Bool
    public let model: ModelFingerprint

    /// Opens an existing gallery; `readOnly` for commands that only search or list it. `accepting` sees the
    /// stored model first and may refuse it, before anything is written.
    public init(
        opening path: String, readOnly: Bool = false, accepting: (ModelFingerprint) throws -> Void = { _ in }
    ) throws {
        try InputFile.file(path, what: "the gallery")
        self.path = path
        self.readOnly = readOnly
        pool = try Self.connect(path, readOnly: readOnly)
        let pool = self.pool
        model = try Self.guarded(path) {
            try pool.read { db in
                guard try db.tableExists("gallery_info"), try Self.info(.format, db) == GallerySchema.format else {
                    throw UserError("\(path) is an SQLite database but not a facenet gallery (no gallery_info format row)")
                }
            }
            let model = try pool.read { db in try Self.decodeInfo(ModelFingerprint.self, .model, db, path: path) }
            try accepting(model)
            // Only an older file is written to; opening an up-to-date one changes none of its bytes. A reader
            // needs only `readerMigrations` (a file without facenet serve's key table is still searched).
            if try !pool.read({ try GallerySchema.migrator.hasCompletedMigrations($0) }) {
                if readOnly {
                    let applied = try pool.read { try GallerySchema.migrator.appliedIdentifiers($0) }
                    guard GallerySchema.readerMigrations.isSubset(of: applied) else {
                        throw UserError("\(path) is an older gallery: open it once with a command that writes (e.g. facenet enroll) to bring it up to date")
                    }
                } else {
                    try GallerySchema.migrator.migrate(pool)
                }
            }
            return model
        }
    }

    /// Creates a new gallery for `model` with `threshold`; refuses an existing file.
    public init(creating path: String, model: ModelFingerprint, threshold: StoredThreshold) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw UserError("\(path) already exists") }
        self.path = path
        self.model = model
        readOnly = false
        pool = try Self.connect(path, readOnly: false)
        let pool = self.pool
        try Self.guarded(path) {
            try GallerySchema.migrator.migrate(pool)
            try pool.write { db in
                try Self.setInfo(.format, GallerySchema.format, db)
                try Self.setInfo(.model, String(decoding: JSONEncoder().encode(model), as: UTF8.self), db)
                try Self.setInfo(.threshold, String(decoding: JSONEncoder().encode(threshold), as: UTF8.self), db)
                try Self.setInfo(.changeCounter, "0", db)
            }
        }
    }

    static func connect(_ path: String, readOnly: Bool) throws -> any DatabaseWriter {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        if !readOnly { configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA secure_delete = ON") } }
        return try guarded(path) {
            readOnly
                ? try DatabaseQueue(path: path, configuration: configuration) as any DatabaseWriter
                : try DatabasePool(path: path, configuration: configuration)
        }
    }

    // MARK: reading

    public func threshold() throws -> StoredThreshold {
        try read { db in try Self.decodeInfo(StoredThreshold.self, .threshold, db, path: self.path) }
    }

    public func changeCounter() throws -> Int {
        try read { db in Int(try Self.info(.changeCounter, db) ?? "0") ?? 0 }
    }

    /// Every identity with its number of faces, by name.
    public func identities() throws -> [(identity: Identity, faces: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT identities.*, COUNT(faces.id) AS face_count FROM identities
                    LEFT JOIN faces ON faces.identity_id = identities.id GROUP BY identities.id ORDER BY identities.name
                    """
            ).map { (try Identity(row: $0), $0["face_count"]) }
        }
    }

    public func identity(named name: String) throws -> Identity? {
        try read { db in try Identity.filter(Column("name") == name).fetchOne(db) }
    }

    public func faces(of identity: Identity) throws -> [StoredFace] {
        try read { db in try StoredFace.filter(Column("identity_id") == identity.id).order(Column("id")).fetchAll(db) }
    }

    /// The photos (SHA-256) already enrolled for `name`.
    public func enrolledPhotos(of name: String) throws -> Set<String> {
        try read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: "SELECT source_sha256 FROM faces JOIN identities ON identities.id = faces.identity_id WHERE identities.name = ?",
                    arguments: [name]))
        }
    }

    /// Every face's id, identity and embedding, for the in-memory index.
    public func allEmbeddings() throws -> GalleryEmbeddings {
        try read { db in
            var all = GalleryEmbeddings()
            let rows = try Row.fetchCursor(db, sql: "SELECT id, identity_id, embedding FROM faces ORDER BY id")
            while let row = try rows.next() {
                let values = try EmbeddingBlob.decode(row["embedding"], dimension: self.model.embeddingSize, face: row["id"], gallery: self.path)
                all.faceIds.append(row["id"])
                all.identityIds.append(row["identity_id"])
                all.vectors += values
            }
            all.names = Dictionary(uniqueKeysWithValues: try Identity.fetchAll(db).map { ($0.id!, $0.name) })
            return all
        }
    }

    public func embeddings(updating known: GalleryEmbeddings) throws -> GalleryEmbeddings {
        guard !known.faceIds.isEmpty else { return try allEmbeddings() }
        let dimension = model.embeddingSize
        return try read { db in  // one snapshot: the listing and the vectors agree
            let listed = try Row.fetchAll(db, sql: "SELECT id, identity_id FROM faces ORDER BY id").map { (face: $0["id"] as Int64, identity: $0["identity_id"] as Int64) }
            let rows = known.rows()
            var fresh: [Int64: [Float]] = [:]
            for batch in GalleryEmbeddings.missing(from: listed, known: rows) {
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: "SELECT id, embedding FROM faces WHERE id IN (\(marks))", arguments: StatementArguments(batch)) {
                    fresh[row["id"]] = try EmbeddingBlob.decode(row["embedding"], dimension: dimension, face: row["id"], gallery: self.path)
                }
            }
            let names = Dictionary(uniqueKeysWithValues: try Identity.fetchAll(db).map { ($0.id!, $0.name) })
            return known.updated(listed: listed, rows: rows, names: names, fresh: fresh, dimension: dimension)
        }
    }

    // MARK: writing (one transaction each)

    /// Adds `faces` to `name` (created if new) in one transaction; with `replace`, the identity's earlier
    /// faces are removed in the same transaction. A photo already enrolled for `name` is skipped. Returns how
    /// many faces were added.
    @discardableResult
    public func add(_ faces: [NewFace], to name: String, replace: Bool) throws -> Int {
        let name = try IdentityName.validated(name)
        try checkSizes(faces)
        return try write { db in
            let now = GalleryTime.now()
            var identity = try Identity.filter(Column("name") == name).fetchOne(db)
            if identity == nil {
                var created = Identity(name: name, created: now)
                try created.insert(db)
                identity = created
            } else if replace {
                try StoredFace.filter(Column("identity_id") == identity!.id).deleteAll(db)
            }
            var added = 0
            for face in faces {
                var stored = StoredFace(
                    identityId: identity!.id!, embedding: EmbeddingBlob.encode(face.embedding), sourcePath: face.sourcePath,
                    sourceSHA256: face.sourceSHA256, box: face.box, landmarks: face.landmarks,
                    detectionScore: face.detectionScore, sharpness: face.sharpness, created: now)
                // The unique (identity, photo) constraint, not a check-then-insert, decides a duplicate.
                try stored.insert(db, onConflict: .ignore)
                if db.changesCount > 0 { added += 1 }
            }
            return added
        }
    }

    public func createIdentity(_ name: String) throws -> Bool {
        let name = try IdentityName.validated(name)
        return try write { db in
            var identity = Identity(name: name, created: GalleryTime.now())
            try identity.insert(db, onConflict: .ignore)
            return db.changesCount > 0
        }
    }

    /// Removes a person and every face of theirs.
    public func remove(_ name: String) throws {
        try write { db in
            guard try Identity.filter(Column("name") == name).deleteAll(db) > 0 else {
                throw UserError("\(self.path) has no identity named '\(name)'")
            }
        }
        // secure_delete zeroes the freed cells, but in WAL mode the earlier page images stay in the log until a
        // checkpoint: copy the log into the file, rebuild the file without free pages, and empty the log.
        try Self.guarded(path) {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
    }

    public func rename(_ old: String, to new: String) throws {
        let new = try IdentityName.validated(new)
        try write { db in
            guard try Identity.filter(Column("name") == new).fetchCount(db) == 0 else {
                throw UserError("\(self.path) already has an identity named '\(new)'")
            }
            guard try Identity.filter(Column("name") == old).updateAll(db, Column("name").set(to: new)) > 0 else {
                throw UserError("\(self.path) has no identity named '\(old)'")
            }
        }
    }

    public func setThreshold(_ threshold: StoredThreshold) throws {
        try write { db in
            try Self.setInfo(.threshold, String(decoding: JSONEncoder().encode(threshold), as: UTF8.self), db)
        }
    }

    /// `PRAGMA integrity_check`'s answer ("ok" for a sound file).
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// SQLite tells no other process of a change: readers compare `changeCounter()`.
    public var announcesChanges: Bool { false }

    public func observeChanges(_ handler: @escaping @Sendable (Int?) -> Void) {}

    public func close() throws { try checkpoint() }

    /// Copies the write-ahead log into the main file (SQLite's checkpoint), e.g. before the file is copied.
    public func checkpoint() throws {
        try Self.guarded(path) { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
    }

    // MARK: plumbing

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.guarded(path) { try pool.read(body) }
    }

    /// A write transaction that also advances the change counter, if it changed a row: a write that turns
    /// out to be a no-op (an enroll of photos all already there, a create that finds the name taken) leaves
    /// the counter alone, so readers do not reload for nothing.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.guarded(path) {
            try pool.write { db in
                let before = db.totalChangesCount
                let result = try body(db)
                guard db.totalChangesCount != before else { return result }
                try db.execute(
                    sql: "UPDATE gallery_info SET value = CAST(value AS INTEGER) + 1 WHERE key = ?",
                    arguments: [InfoKey.changeCounter.rawValue])
                return result
            }
        }
    }

    static func info(_ key: InfoKey, _ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM gallery_info WHERE key = ?", arguments: [key.rawValue])
    }

    static func setInfo(_ key: InfoKey, _ value: String, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO gallery_info (key, value) VALUES (?, ?)", arguments: [key.rawValue, value])
    }

    static func decodeInfo<T: Decodable>(_ type: T.Type, _ key: InfoKey, _ db: Database, path: String) throws -> T {
        guard let text = try info(key, db), let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw UserError("\(path): the gallery's '\(key.rawValue)' entry is missing or unreadable: the file is damaged")
        }
        return value
    }

    /// Runs `body`, turning SQLite's errors into messages about the file.
    @discardableResult
    static func guarded<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: throw UserError("\(path) is not a facenet gallery (not an SQLite database)")
            case .SQLITE_CORRUPT: throw UserError("\(path) is damaged (SQLite: \(error.message ?? "corrupt"))")
            case .SQLITE_BUSY, .SQLITE_LOCKED: throw UserError("\(path) is busy: another process holds it (\(error.message ?? ""))")
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
                throw UserError("\(path) cannot be opened for writing (\(error.message ?? "\(error.resultCode)"))")
            default: throw UserError("\(path): SQLite error \(error.resultCode): \(error.message ?? "")")
            }
        }
    }
}

/// A face to enroll: its embedding and provenance.
public struct NewFace: Sendable {
    public var embedding: [Float]
    public var sourcePath: String
    public var sourceSHA256: String
    public var box: [Double]
    public var landmarks: [Double]
    public var detectionScore: Double
    public var sharpness: Double

    public init(
        embedding: [Float], sourcePath: String, sourceSHA256: String, box: [Double], landmarks: [Double],
        detectionScore: Double, sharpness: Double
    ) {
        self.embedding = embedding
        self.sourcePath = sourcePath
        self.sourceSHA256 = sourceSHA256
        self.box = box
        self.landmarks = landmarks
        self.detectionScore = detectionScore
        self.sharpness = sharpness
    }
}
