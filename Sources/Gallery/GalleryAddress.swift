import Foundation

/// A gallery as `--gallery` names it: a file (SQLite, the embedded default) or `postgres://...` (a PostgreSQL
/// database, shared by replicas). The one place that chooses the store.
public enum GalleryAddress: Sendable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation)

    public init(_ text: String) throws {
        self = PostgresLocation.isURL(text) ? .postgres(try PostgresLocation(text)) : .file(text)
    }

    /// Opens an existing gallery; `readOnly` for commands that only search or list it. `accepting` sees the
    /// stored model first and may refuse it, before anything is written (an older gallery is migrated only
    /// once its model is accepted).
    public func open(readOnly: Bool = false, accepting: (ModelFingerprint) throws -> Void = { _ in }) throws -> any GalleryStore {
        switch self {
        case .file(let path):
            // A file is first opened read-only: opening it to write would turn a foreign SQLite file to WAL
            // before it is known to be a gallery.
            if readOnly { return try SQLiteGallery(opening: path, readOnly: true, accepting: accepting) }
            _ = try SQLiteGallery(opening: path, readOnly: true, accepting: accepting)
            return try SQLiteGallery(opening: path)
        case .postgres(let location):
            return try PostgresGallery(opening: location, readOnly: readOnly, accepting: accepting)
        }
    }

    /// Makes a new gallery for `model`; refuses where one exists.
    public func create(model: ModelFingerprint, threshold: StoredThreshold) throws -> any GalleryStore {
        switch self {
        case .file(let path): try SQLiteGallery(creating: path, model: model, threshold: threshold)
        case .postgres(let location): try PostgresGallery(creating: location, model: model, threshold: threshold)
        }
    }

    /// Opens the gallery to write to it, or makes one for `model` where there is none (`facenet enroll`);
    /// `accepting` sees an existing gallery's model before anything is written. A PostgreSQL gallery is opened
    /// or made over one connection, in one transaction.
    public func openingOrCreating(
        model: ModelFingerprint, threshold: StoredThreshold, accepting: (ModelFingerprint) throws -> Void
    ) throws -> (gallery: any GalleryStore, created: Bool) {
        switch self {
        case .file(let path):
            if FileManager.default.fileExists(atPath: path) { return (try open(accepting: accepting), false) }
            return (try SQLiteGallery(creating: path, model: model, threshold: threshold), true)
        case .postgres(let location):
            let (gallery, created) = try PostgresGallery.openingOrCreating(
                location, model: model, threshold: threshold, accepting: accepting)
            return (gallery, created)
        }
    }

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let location): location.description
        }
    }

    public var isFile: Bool {
        if case .file = self { return true }
        return false
    }
}
