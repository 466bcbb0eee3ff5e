import Foundation
import Gallery
import Recognition

/// The gallery the service reads and writes, with its search index in memory: every change (enroll, delete)
/// is committed to SQLite first and the index rebuilt from the committed rows before the change is answered,
/// so a name enrolled is recognised by the next request and nothing is answered that is not on disk.
/// Readers take the current index without waiting for a writer (SQLite WAL: readers never wait either).
final class LiveGallery: @unchecked Sendable {
    let database: GalleryDatabase
    let threshold: ThresholdInUse
    private let lock = NSLock()
    /// Serialises changes, so that indexes are rebuilt in commit order.
    private let writeLock = NSLock()
    private var current: GalleryIndex
    let onChange: @Sendable (GalleryIndex) -> Void

    init(_ database: GalleryDatabase, onChange: @escaping @Sendable (GalleryIndex) -> Void) throws {
        self.database = database
        threshold = try ThresholdInUse(try database.threshold(), gallery: database.path)
        current = try GalleryIndex(database)
        self.onChange = onChange
        onChange(current)
    }

    var index: GalleryIndex {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Runs a change of the database, then rebuilds the index from what was committed.
    func change<T>(_ body: (GalleryDatabase) throws -> T) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        let result = try body(database)
        let rebuilt = try GalleryIndex(database)
        lock.lock()
        current = rebuilt
        lock.unlock()
        onChange(rebuilt)
        return result
    }
}
