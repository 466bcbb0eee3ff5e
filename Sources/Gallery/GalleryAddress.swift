import Foundation

/// A gallery as `--gallery` names it: a file (SQLite, the embedded default) or `postgres://...` (a PostgreSQL
/// database, shared by replicas). The one place that chooses the store.
public enum GalleryAddress: Sendable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation)

    public init(_ text: String) throws {
        self = PostgresLocation.isURL(text) ? .postgres(try PostgresLocation(text)) : .file(text)
    }

    /// Opens an existing gallery; `readOnly` for commands that only search or list it.
    public func open(readOnly: Bool = false) throws -> any GalleryStore {
        switch self {
        case .file(let path): try SQLiteGallery(opening: path, readOnly: readOnly)
        case .postgres(let location): try PostgresGallery(opening: location, readOnly: readOnly)
        }
    }

    /// Makes a new gallery for `model`; refuses where one exists.
    public func create(model: ModelFingerprint, threshold: StoredThreshold) throws -> any GalleryStore {
        switch self {
        case .file(let path): try SQLiteGallery(creating: path, model: model, threshold: threshold)
        case .postgres(let location): try PostgresGallery(creating: location, model: model, threshold: threshold)
        }
    }

    /// Whether a gallery is there already (a file of that name; a database holding a gallery's tables).
    public func exists() throws -> Bool {
        switch self {
        case .file(let path): FileManager.default.fileExists(atPath: path)
        case .postgres(let location): try PostgresGallery.exists(location)
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
