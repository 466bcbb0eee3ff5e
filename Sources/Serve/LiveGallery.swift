import Foundation
import Gallery
import Recognition

/// The gallery the service reads and writes, with its search index in memory: every change (enroll, delete)
/// is committed to SQLite first and the index rebuilt from the committed rows before the change is answered,
/// so a name enrolled is recognised by the next request and nothing is answered that is not on disk.
/// Readers take the current index without waiting for a writer (SQLite WAL: readers never wait either).
/// Changes made by another process (`facenet enroll`, `gallery calibrate`) are seen through the gallery's change
/// counter, read at most once a second.
final class LiveGallery: @unchecked Sendable {
    let database: GalleryDatabase
    private let lock = NSLock()
    /// Serialises rebuilds, so that indexes are built in commit order.
    private let writeLock = NSLock()
    private var current: (index: GalleryIndex, threshold: ThresholdInUse, counter: Int)
    private var checked = Date()
    let onChange: @Sendable (GalleryIndex) -> Void

    init(_ database: GalleryDatabase, onChange: @escaping @Sendable (GalleryIndex) -> Void) throws {
        self.database = database
        self.onChange = onChange
        current = try Self.load(database)
        onChange(current.index)
    }

    private static func load(_ database: GalleryDatabase) throws -> (index: GalleryIndex, threshold: ThresholdInUse, counter: Int) {
        let counter = try database.changeCounter()  // before the rows: a change in between is seen next time
        return (try GalleryIndex(database), try ThresholdInUse(try database.threshold(), gallery: database.path), counter)
    }

    /// The current index and threshold, reloaded first if another process changed the gallery.
    var state: (index: GalleryIndex, threshold: ThresholdInUse) {
        let due = lock.withLock { () -> Bool in
            guard Date().timeIntervalSince(checked) >= 1 else { return false }
            checked = Date()
            return true
        }
        if due, let counter = try? database.changeCounter(), counter != lock.withLock({ current.counter }) {
            try? rebuild()
        }
        return lock.withLock { (current.index, current.threshold) }
    }

    var index: GalleryIndex { state.index }
    var threshold: ThresholdInUse { state.threshold }

    /// Runs a change of the database, then rebuilds the index from what was committed.
    func change<T>(_ body: (GalleryDatabase) throws -> T) throws -> T {
        writeLock.lock()
        defer { writeLock.unlock() }
        let result = try body(database)
        try rebuildLocked()
        return result
    }

    private func rebuild() throws {
        writeLock.lock()
        defer { writeLock.unlock() }
        try rebuildLocked()
    }

    private func rebuildLocked() throws {
        let loaded = try Self.load(database)
        lock.withLock { current = loaded }
        onChange(loaded.index)
    }
}
