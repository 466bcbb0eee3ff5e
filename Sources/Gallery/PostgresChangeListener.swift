import Dispatch
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Follows a PostgreSQL gallery's changes through LISTEN/NOTIFY on a connection of its own: every write
/// transaction notifies `channel` with its change counter (delivered when it commits, in commit order), and
/// `handler` gets each counter on a serial queue. A lost connection is made again with backoff, entirely on the
/// event loop (nothing waits there); each time it starts listening `handler` gets nil, because notifications
/// sent before, or while it was away, are not delivered and the reader must compare the counter.
final class PostgresChangeListener: @unchecked Sendable {
    static let channel = "facenet_gallery"

    private let location: PostgresLocation
    private let logger: Logger
    private let handler: @Sendable (Int?) -> Void
    private let queue = DispatchQueue(label: "facenet.gallery.changes")
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var backoff = Backoff()
    private var stopped = false

    init(_ location: PostgresLocation, logger: Logger, handler: @escaping @Sendable (Int?) -> Void) {
        self.location = location
        self.logger = logger
        self.handler = handler
        connect()
    }

    deinit {
        if let connection { PostgresLink.closeNow(connection) }
    }

    func stop() {
        let connection = lock.withLock { () -> PostgresConnection? in
            stopped = true
            return self.connection
        }
        if let connection { try? connection.close().wait() }
    }

    private func connect() {
        guard !lock.withLock({ stopped }) else { return }
        PostgresLink.connect(location, logger: logger).flatMap { connection -> EventLoopFuture<PostgresConnection> in
            connection.addListener(channel: Self.channel) { [weak self] _, notification in
                guard let self else { return }
                let counter = Int(notification.payload)
                self.queue.async { self.handler(counter) }
            }
            return connection.query(PostgresQuery(unsafeSQL: "LISTEN \(Self.channel)"), logger: self.logger).map { _ in connection }
        }.whenComplete { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let connection):
                let stopNow = self.lock.withLock { () -> Bool in
                    self.connection = connection
                    self.backoff.succeeded()
                    return self.stopped
                }
                if stopNow {
                    let _: EventLoopFuture<Void> = connection.close()
                    return
                }
                // Listening (again): what was notified before, or while the connection was lost, is not
                // delivered, so the reader compares the counter.
                self.queue.async { self.handler(nil) }
                connection.closeFuture.whenComplete { [weak self] _ in self?.retry() }
            case .failure:
                self.retry()
            }
        }
    }

    private func retry() {
        let delay = lock.withLock { () -> Double? in
            connection = nil
            return stopped ? nil : backoff.failed()
        }
        guard let delay else { return }
        queue.asyncAfter(deadline: .now() + delay) { [weak self] in self?.connect() }
    }
}
