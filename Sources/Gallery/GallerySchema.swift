import GRDB

/// The gallery's tables (docs/formats.md, "Gallery"), as versioned migrations: a file records which it has
/// (GRDB's `grdb_migrations` table), and opening an older file brings it up to date in one transaction.
enum GallerySchema {
    /// The value of `gallery_info.format`, which tells a gallery from any other SQLite file.
    static let format = "facenet-gallery"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE gallery_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE identities (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        created TEXT NOT NULL);
                    CREATE TABLE faces (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        identity_id INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
                        embedding BLOB NOT NULL,
                        source_path TEXT NOT NULL,
                        source_sha256 TEXT NOT NULL,
                        box_x1 REAL NOT NULL, box_y1 REAL NOT NULL, box_x2 REAL NOT NULL, box_y2 REAL NOT NULL,
                        landmarks TEXT NOT NULL,
                        detection_score REAL NOT NULL,
                        sharpness REAL NOT NULL,
                        created TEXT NOT NULL,
                        UNIQUE (identity_id, source_sha256));
                    CREATE INDEX faces_by_identity ON faces(identity_id);
                    """)
        }
        // facenet serve's API keys: only the SHA-256 of a key is stored, never the key (docs/serve.md).
        migrator.registerMigration("v2-api-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_keys (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        key_sha256 TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL,
                        label TEXT NOT NULL,
                        created TEXT NOT NULL);
                    """)
        }
        return migrator
    }

    /// The migrations a read-only command needs (the API keys table is read only by `facenet serve`, which
    /// opens its gallery to write): an older file without the others is still searched as it is.
    static let readerMigrations: Set<String> = ["v1"]
}

/// Keys of `gallery_info`.
enum InfoKey: String, CaseIterable {
    case format
    case model
    case threshold
    /// Incremented by every transaction that changes identities or faces (a replica can tell what it missed).
    case changeCounter = "change_counter"
}
