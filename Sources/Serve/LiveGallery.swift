import Foundation
import Gallery
import Recognition

/// The gallery the service reads and writes, with its search index in memory: every change (enroll, delete)
/// is committed to the store first and the index rebuilt from the committed rows before the change is
/// answered (reading again only the faces' ids and the embeddings of faces it does not hold yet), so a name
/// enrolled is recognised by the next request and nothing is answered that is not stored.
/// Readers take the current index without waiting for a writer (SQLite WAL: readers never wait either).
/// Changes made by another process (`facenet enroll`, `gallery calibrate`, another replica) are seen through
/// the gallery's change counter: announced by a store that can (PostgreSQL's NOTIFY, and compared again
/// after a lost connection comes back), read at most once a second from one that cannot (SQLite). While the
/// database is out of reach the index in memory goes on answering.
final class LiveGallery: @unchecked Sendable {
    let database: any GalleryStore
    private let lock = NSLock()
    /// Serialises rebuilds, so that indexes are built in commit order.
    private let writeLock = NSLock()
    private var current: Loaded
    private var checked = Date()
    let onChange: @Sendable (GalleryIndex) -> Void

    init(_ database: any GalleryStore, onChange: @escaping @Sendable (GalleryIndex) -> Void) throws {
        self.database = database
        self.onChange = onChange
        current = try Self.load(database, known: GalleryEmbeddings())
        onChange(current.index)
        database.observeChanges { [weak self] counter in self?.heard(counter) }
    }

    /// A change announced by the store (nil: it reconnected, and may have missed some).
    private func heard(_ counter: Int?) {
        guard counter == nil || counter != lock.withLock({ current.counter }) else { return }
        if counter == nil, let now = try? database.changeCounter(), now == lock.withLock({ current.counter }) { return }
        try? rebuild()  // out of reach: the next announcement, or the reconnection, tries again
    }

    private struct Loaded {
        let index: GalleryIndex
        let threshold: ThresholdInUse
        let counter: Int
        /// What the index was built from, so that a change reads only the new faces' vectors (a second copy of
        /// the gallery's vectors in memory, next to the index's own).
        let embeddings: GalleryEmbeddings
    }

    private static func load(_ database: any GalleryStore, known: GalleryEmbeddings) throws -> Loaded {
        let counter = try database.changeCounter()  // before the rows: a change in between is seen next time
        let embeddings = try database.embeddings(updating: known)
        let index = try GalleryIndex(GalleryRows(embeddings, dimension: database.model.embeddingSize))
        return Loaded(index: index, threshold: try ThresholdInUse(try database.threshold(), gallery: database.location), counter: counter, embeddings: embeddings)
    }

    /// The current index and threshold, reloaded first if another process changed the gallery.
    var state: (index: GalleryIndex, threshold: ThresholdInUse) {
        let due = !database.announcesChanges && lock.withLock { () -> Bool in
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
    func change<T>(_ body: (any GalleryStore) throws -> T) throws -> T {
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
        let loaded = try Self.load(database, known: lock.withLock { current.embeddings })
        lock.withLock { current = loaded }
        onChange(loaded.index)
    }
}
