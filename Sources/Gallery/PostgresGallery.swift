import Foundation
import NIOCore
import PostgresNIO
import Support

/// A gallery in a PostgreSQL database, shared by several `facenet serve` replicas and by every gallery command
/// (docs/recognition.md, "PostgreSQL"). The same tables and migrations as the SQLite file (`GallerySchema`);
/// every write is one transaction that advances the change counter and notifies `facenet_gallery` with it, so
/// a replica's index follows without polling (`observeChanges`). Concurrency is the database's: an identity is
/// created with `ON CONFLICT DO NOTHING` on its unique name and a face with `ON CONFLICT DO NOTHING` on the
/// unique (identity, photo), so two replicas enrolling the same photo at once store it once; the counter's row
/// lock orders the writers, so counters are given in commit order.
public final class PostgresGallery: GalleryStore, @unchecked Sendable {
    public let settings: PostgresLocation
    public let model: ModelFingerprint
    public var location: String { settings.description }
    private let link: PostgresLink
    private let listeners = NSLock()
    private var listening: [PostgresChangeListener] = []

    private init(settings: PostgresLocation, link: PostgresLink, model: ModelFingerprint) {
        self.settings = settings
        self.link = link
        self.model = model
    }

    /// Opens an existing gallery; `readOnly` for commands that only search or list it (its transactions are
    /// then read-only, and an older schema is not migrated). `accepting` sees the stored model first and may
    /// refuse it, before anything is written.
    public convenience init(
        opening settings: PostgresLocation, readOnly: Bool = false, accepting: (ModelFingerprint) throws -> Void = { _ in }
    ) throws {
        let link = PostgresLink(settings, sessionSetup: readOnly ? ["SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"] : [])
        let model = try Self.guarded(settings) {
            try link.transaction { connection in
                guard try Self.isGallery(link, connection) else {
                    throw UserError("\(settings) is a PostgreSQL database but not a facenet gallery (no gallery_info format row): create one with facenet enroll --gallery \(settings)")
                }
                return try Self.openExisting(link, connection, settings, readOnly: readOnly, accepting: accepting)
            }
        }
        self.init(settings: settings, link: link, model: model)
    }

    /// Makes a gallery in an empty database (or one without a gallery); refuses a database that holds one.
    public convenience init(creating settings: PostgresLocation, model: ModelFingerprint, threshold: StoredThreshold) throws {
        let link = PostgresLink(settings)
        try Self.guarded(settings) {
            try link.transaction { connection in
                try Self.makeGallery(link, connection, settings, model: model, threshold: threshold)
            }
        }
        self.init(settings: settings, link: link, model: model)
    }

    /// Opens the gallery to write to it, or makes one for `model` where the database holds none (`facenet
    /// enroll`), over one connection and in one transaction; `created` says which. `accepting` sees an
    /// existing gallery's model before anything is written.
    public static func openingOrCreating(
        _ settings: PostgresLocation, model: ModelFingerprint, threshold: StoredThreshold,
        accepting: (ModelFingerprint) throws -> Void
    ) throws -> (gallery: PostgresGallery, created: Bool) {
        let link = PostgresLink(settings)
        let (stored, created) = try guarded(settings) {
            try link.transaction { connection -> (ModelFingerprint, Bool) in
                if try isGallery(link, connection) {
                    return (try openExisting(link, connection, settings, readOnly: false, accepting: accepting), false)
                }
                try makeGallery(link, connection, settings, model: model, threshold: threshold)
                return (model, true)
            }
        }
        return (PostgresGallery(settings: settings, link: link, model: stored), created)
    }

    /// An existing gallery's model, once `accepting` has seen it; brought up to date unless `readOnly` (a
    /// reader needs only `readerMigrations`).
    private static func openExisting(
        _ link: PostgresLink, _ connection: PostgresConnection, _ settings: PostgresLocation, readOnly: Bool,
        accepting: (ModelFingerprint) throws -> Void
    ) throws -> ModelFingerprint {
        let model = try decodeInfo(ModelFingerprint.self, .model, link, connection, settings)
        try accepting(model)
        let applied = try appliedMigrations(link, connection)
        if !Set(GallerySchema.migrations.map(\.identifier)).isSubset(of: applied) {
            guard !readOnly else {
                guard GallerySchema.readerMigrations.isSubset(of: applied) else {
                    throw UserError("\(settings) is an older gallery: open it once with a command that writes (e.g. facenet enroll) to bring it up to date")
                }
                return model
            }
            try migrate(link, connection)
        }
        return model
    }

    /// The tables and the info rows of a new gallery; refuses a database that has a gallery's format row.
    private static func makeGallery(
        _ link: PostgresLink, _ connection: PostgresConnection, _ settings: PostgresLocation, model: ModelFingerprint,
        threshold: StoredThreshold
    ) throws {
        try migrate(link, connection)
        guard try info(.format, link, connection) == nil else { throw UserError("\(settings) already holds a facenet gallery") }
        try setInfo(.format, GallerySchema.format, link, connection)
        try setInfo(.model, String(decoding: JSONEncoder().encode(model), as: UTF8.self), link, connection)
        try setInfo(.threshold, String(decoding: JSONEncoder().encode(threshold), as: UTF8.self), link, connection)
        try setInfo(.changeCounter, "0", link, connection)
    }

    deinit { try? close() }

    public func close() throws {
        let stopping = listeners.withLock { () -> [PostgresChangeListener] in
            defer { listening = [] }
            return listening
        }
        for listener in stopping { listener.stop() }
        link.close()
    }

    // MARK: reading

    public func threshold() throws -> StoredThreshold {
        try read { connection in try Self.decodeInfo(StoredThreshold.self, .threshold, self.link, connection, self.settings) }
    }

    public func changeCounter() throws -> Int {
        try read { connection in Int(try Self.info(.changeCounter, self.link, connection) ?? "0") ?? 0 }
    }

    public func identities() throws -> [(identity: Identity, faces: Int)] {
        try read { connection in
            try self.link.rows(
                """
                SELECT identities.id, identities.name, identities.created, COUNT(faces.id) FROM identities
                LEFT JOIN faces ON faces.identity_id = identities.id GROUP BY identities.id ORDER BY identities.name
                """, on: connection
            ).map { row in
                let (id, name, created, count) = try row.decode((Int64, String, String, Int64).self)
                return (Identity(id: id, name: name, created: created), Int(count))
            }
        }
    }

    public func identity(named name: String) throws -> Identity? {
        try read { connection in try Self.identity(named: name, self.link, connection) }
    }

    public func faces(of identity: Identity) throws -> [StoredFace] {
        guard let id = identity.id else { return [] }
        return try read { connection in
            try self.link.rows("SELECT \(unescaped: Self.faceColumns) FROM faces WHERE identity_id = \(id) ORDER BY id", on: connection)
                .map(Self.face)
        }
    }

    public func enrolledPhotos(of name: String) throws -> Set<String> {
        try read { connection in
            Set(
                try self.link.rows(
                    "SELECT source_sha256 FROM faces JOIN identities ON identities.id = faces.identity_id WHERE identities.name = \(name)",
                    on: connection
                ).map { try $0.decode(String.self) })
        }
    }

    public func allEmbeddings() throws -> GalleryEmbeddings {
        let dimension = model.embeddingSize
        let settings = self.settings
        return try read { connection in
            // Streamed: a million faces are half a gigabyte of embeddings, not to be held twice as rows.
            let collected = Collected()
            try self.link.forEach("SELECT id, identity_id, embedding FROM faces ORDER BY id", on: connection) { row in
                let (id, identity, bytes) = try row.decode((Int64, Int64, ByteBuffer).self)
                let values = try EmbeddingBlob.decode(Data(bytes.readableBytesView), dimension: dimension, face: id, gallery: "\(settings)")
                collected.append(id, identity, values)
            }
            var result = collected.result
            for row in try self.link.rows("SELECT id, name FROM identities", on: connection) {
                let (id, name) = try row.decode((Int64, String).self)
                result.names[id] = name
            }
            return result
        }
    }

    public func embeddings(updating known: GalleryEmbeddings) throws -> GalleryEmbeddings {
        guard !known.faceIds.isEmpty else { return try allEmbeddings() }
        let dimension = model.embeddingSize
        let settings = self.settings
        return try read { connection in
            // Statements at READ COMMITTED: a face removed between the listing and its vector is left out
            // (GalleryEmbeddings.updated), one added after the listing comes with its own announcement.
            let listed = try self.link.rows("SELECT id, identity_id FROM faces ORDER BY id", on: connection).map { row in
                let (face, identity) = try row.decode((Int64, Int64).self)
                return (face: face, identity: identity)
            }
            let rows = known.rows()
            var fresh: [Int64: [Float]] = [:]
            for batch in GalleryEmbeddings.missing(from: listed, known: rows) {
                for row in try self.link.rows("SELECT id, embedding FROM faces WHERE id = ANY(\(batch))", on: connection) {
                    let (id, bytes) = try row.decode((Int64, ByteBuffer).self)
                    fresh[id] = try EmbeddingBlob.decode(Data(bytes.readableBytesView), dimension: dimension, face: id, gallery: "\(settings)")
                }
            }
            var names: [Int64: String] = [:]
            for row in try self.link.rows("SELECT id, name FROM identities", on: connection) {
                let (id, name) = try row.decode((Int64, String).self)
                names[id] = name
            }
            return known.updated(listed: listed, rows: rows, names: names, fresh: fresh, dimension: dimension)
        }
    }

    public func integrityCheck() throws -> String {
        let bytes = model.embeddingSize * 4
        return try read { connection in
            let wrong = try self.link.rows("SELECT COUNT(*) FROM faces WHERE octet_length(embedding) <> \(bytes)", on: connection)[0].decode(Int64.self)
            return wrong == 0 ? "ok" : "\(wrong) faces hold embeddings that are not \(bytes) bytes"
        }
    }

    public var announcesChanges: Bool { true }

    public func observeChanges(_ handler: @escaping @Sendable (Int?) -> Void) {
        let listener = PostgresChangeListener(settings, logger: link.logger, handler: handler)
        listeners.withLock { listening.append(listener) }
    }

    // MARK: writing (one transaction each)

    @discardableResult
    public func add(_ faces: [NewFace], to name: String, replace: Bool) throws -> Int {
        let name = try IdentityName.validated(name)
        try checkSizes(faces)
        return try write { connection in
            let link = self.link
            let now = GalleryTime.now()
            // Two replicas creating the same name: the second waits for the first's commit, then finds its row.
            try link.execute("INSERT INTO identities (name, created) VALUES (\(name), \(now)) ON CONFLICT (name) DO NOTHING", on: connection)
            guard let identity = try Self.identity(named: name, link, connection), let id = identity.id else {
                throw UserError("\(self.settings): the identity '\(name)' could not be created")
            }
            if replace { try link.execute("DELETE FROM faces WHERE identity_id = \(id)", on: connection) }
            var added = 0
            for face in faces {
                let stored = StoredFace(
                    identityId: id, embedding: EmbeddingBlob.encode(face.embedding), sourcePath: face.sourcePath,
                    sourceSHA256: face.sourceSHA256, box: face.box, landmarks: face.landmarks,
                    detectionScore: face.detectionScore, sharpness: face.sharpness, created: now)
                added += try link.execute(
                    """
                    INSERT INTO faces (identity_id, embedding, source_path, source_sha256, box_x1, box_y1, box_x2, box_y2,
                        landmarks, detection_score, sharpness, created)
                    VALUES (\(id), \(stored.embedding), \(stored.sourcePath), \(stored.sourceSHA256), \(stored.boxX1), \(stored.boxY1),
                        \(stored.boxX2), \(stored.boxY2), \(stored.landmarks), \(stored.detectionScore), \(stored.sharpness), \(now))
                    ON CONFLICT (identity_id, source_sha256) DO NOTHING
                    """, on: connection)
            }
            return added
        }
    }

    public func createIdentity(_ name: String) throws -> Bool {
        let name = try IdentityName.validated(name)
        let now = GalleryTime.now()
        return try write { connection in
            try self.link.execute("INSERT INTO identities (name, created) VALUES (\(name), \(now)) ON CONFLICT (name) DO NOTHING", on: connection) > 0
        }
    }

    /// Removes a person and every face of theirs. PostgreSQL keeps a deleted row's bytes in its pages until
    /// VACUUM reuses them (and in its write-ahead log): unlike the SQLite file (secure_delete), wiping them is
    /// the database administrator's (docs/recognition.md).
    public func remove(_ name: String) throws {
        try write { connection in
            guard try self.link.execute("DELETE FROM identities WHERE name = \(name)", on: connection) > 0 else {
                throw UserError("\(self.settings) has no identity named '\(name)'")
            }
        }
    }

    public func rename(_ old: String, to new: String) throws {
        let new = try IdentityName.validated(new)
        try write { connection in
            guard try Self.identity(named: new, self.link, connection) == nil else {
                throw UserError("\(self.settings) already has an identity named '\(new)'")
            }
            guard try self.link.execute("UPDATE identities SET name = \(new) WHERE name = \(old)", on: connection) > 0 else {
                throw UserError("\(self.settings) has no identity named '\(old)'")
            }
        }
    }

    public func removeFace(_ id: Int64, of name: String) throws {
        try write { connection in
            guard let identity = try Self.identity(named: name, self.link, connection), let identityId = identity.id else {
                throw UserError("\(self.settings) has no identity named '\(name)'")
            }
            guard try self.link.execute("DELETE FROM faces WHERE id = \(id) AND identity_id = \(identityId)", on: connection) > 0 else {
                throw UserError("'\(name)' has no face with id \(id)")
            }
        }
    }

    public func setThreshold(_ threshold: StoredThreshold) throws {
        try write { connection in
            try Self.setInfo(.threshold, String(decoding: JSONEncoder().encode(threshold), as: UTF8.self), self.link, connection)
        }
    }

    @discardableResult
    public func addAPIKey(sha256: String, role: APIKeyRole, label: String) throws -> Int64 {
        let now = GalleryTime.now()
        return try Self.guarded(settings) {
            try link.transaction { connection in
                let rows = try link.rows(
                    "INSERT INTO api_keys (key_sha256, role, label, created) VALUES (\(sha256), \(role.rawValue), \(label), \(now)) RETURNING id",
                    on: connection)
                return try rows[0].decode(Int64.self)
            }
        }
    }

    public func apiKeys() throws -> [StoredAPIKey] {
        try read { connection in
            try self.link.rows("SELECT id, key_sha256, role, label, created FROM api_keys ORDER BY id", on: connection).compactMap { row in
                let (id, hash, role, label, created) = try row.decode((Int64, String, String, String, String).self)
                guard let role = APIKeyRole(rawValue: role) else { return nil }
                return StoredAPIKey(id: id, keySHA256: hash, role: role, label: label, created: created)
            }
        }
    }

    // MARK: plumbing

    private func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try Self.guarded(settings) { try link.run(body) }
    }

    /// A write transaction that also advances the change counter and announces it, if one of its statements
    /// changed a row (the command tags' counts: `PostgresLink.rowsChangedInTransaction`), so a no-op write
    /// (photos all already enrolled, a name already taken) neither counts nor wakes the readers. The server's
    /// own signs do not do: a skipped INSERT still draws from the identities' sequence, which takes a
    /// transaction id every 32 values, and PostgreSQL 15's `pg_stat_xact_user_tables` also showed earlier
    /// transactions' rows. The UPDATE's row lock is held to the commit, so counters are given in commit order;
    /// NOTIFY is delivered only if it commits.
    private func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try Self.guarded(settings) {
            try link.transaction { connection in
                let result = try body(connection)
                guard link.rowsChangedInTransaction > 0 else { return result }
                let rows = try link.rows(
                    "UPDATE gallery_info SET value = (CAST(value AS BIGINT) + 1)::text WHERE key = \(InfoKey.changeCounter.rawValue) RETURNING value",
                    on: connection)
                let counter = try rows.first.map { try $0.decode(String.self) } ?? "0"
                try link.execute("SELECT pg_notify(\(PostgresChangeListener.channel), \(counter))", on: connection)
                return result
            }
        }
    }

    static let faceColumns =
        "id, identity_id, embedding, source_path, source_sha256, box_x1, box_y1, box_x2, box_y2, landmarks, detection_score, sharpness, created"

    static func face(_ row: PostgresRow) throws -> StoredFace {
        let (id, identity, embedding, path, sha, x1, y1, x2, y2, landmarks, score, sharpness, created) = try row.decode(
            (Int64, Int64, ByteBuffer, String, String, Double, Double, Double, Double, String, Double, Double, String).self)
        var face = StoredFace(
            id: id, identityId: identity, embedding: Data(embedding.readableBytesView), sourcePath: path, sourceSHA256: sha,
            box: [x1, y1, x2, y2], landmarks: [], detectionScore: score, sharpness: sharpness, created: created)
        face.landmarks = landmarks
        return face
    }

    static func identity(named name: String, _ link: PostgresLink, _ connection: PostgresConnection) throws -> Identity? {
        try link.rows("SELECT id, name, created FROM identities WHERE name = \(name)", on: connection).first.map { row in
            let (id, name, created) = try row.decode((Int64, String, String).self)
            return Identity(id: id, name: name, created: created)
        }
    }

    static func isGallery(_ link: PostgresLink, _ connection: PostgresConnection) throws -> Bool {
        let table = try link.rows("SELECT to_regclass('gallery_info') IS NOT NULL", on: connection)
        guard try table.first?.decode(Bool.self) == true else { return false }
        return try info(.format, link, connection) == GallerySchema.format
    }

    static func info(_ key: InfoKey, _ link: PostgresLink, _ connection: PostgresConnection) throws -> String? {
        try link.rows("SELECT value FROM gallery_info WHERE key = \(key.rawValue)", on: connection).first.map { try $0.decode(String.self) }
    }

    static func setInfo(_ key: InfoKey, _ value: String, _ link: PostgresLink, _ connection: PostgresConnection) throws {
        try link.execute(
            "INSERT INTO gallery_info (key, value) VALUES (\(key.rawValue), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            on: connection)
    }

    static func decodeInfo<T: Decodable>(
        _ type: T.Type, _ key: InfoKey, _ link: PostgresLink, _ connection: PostgresConnection, _ settings: PostgresLocation
    ) throws -> T {
        guard let text = try info(key, link, connection), let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw UserError("\(settings): the gallery's '\(key.rawValue)' entry is missing or unreadable: the gallery is damaged")
        }
        return value
    }

    /// The migrations this database has, by identifier (none before the first).
    static func appliedMigrations(_ link: PostgresLink, _ connection: PostgresConnection) throws -> Set<String> {
        let table = try link.rows("SELECT to_regclass('facenet_migrations') IS NOT NULL", on: connection)
        guard try table.first?.decode(Bool.self) == true else { return [] }
        return Set(try link.rows("SELECT identifier FROM facenet_migrations", on: connection).map { try $0.decode(String.self) })
    }

    /// Applies the missing migrations inside the caller's transaction. The advisory lock makes a second
    /// process that starts at the same moment wait, then find them applied.
    static func migrate(_ link: PostgresLink, _ connection: PostgresConnection) throws {
        try link.execute("SELECT pg_advisory_xact_lock(\(migrationLock))", on: connection)
        try link.script("CREATE TABLE IF NOT EXISTS facenet_migrations (identifier TEXT PRIMARY KEY NOT NULL)", on: connection)
        let applied = try appliedMigrations(link, connection)
        for migration in GallerySchema.migrations where !applied.contains(migration.identifier) {
            try link.script(migration.statements(.postgres), on: connection)
            try link.execute("INSERT INTO facenet_migrations (identifier) VALUES (\(migration.identifier))", on: connection)
        }
    }

    /// The key of the advisory lock held while migrating: "facenet" in ASCII, an arbitrary constant.
    static let migrationLock: Int64 = 0x66_6163_656e_6574

    /// Runs `body`, turning a statement's PostgreSQL error into a message naming the gallery (a lost connection
    /// is already a `GalleryUnavailable`).
    @discardableResult
    static func guarded<T>(_ settings: PostgresLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as UserError {
            throw error
        } catch let error as GalleryUnavailable {
            throw error
        } catch {
            throw PostgresLink.statementError(error, settings)
        }
    }

    /// Rows gathered on the event loop for the caller's thread.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var embeddings = GalleryEmbeddings()

        func append(_ face: Int64, _ identity: Int64, _ values: [Float]) {
            lock.withLock {
                embeddings.faceIds.append(face)
                embeddings.identityIds.append(identity)
                embeddings.vectors += values
            }
        }

        var result: GalleryEmbeddings { lock.withLock { embeddings } }
    }
}
