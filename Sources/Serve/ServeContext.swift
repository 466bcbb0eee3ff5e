import Foundation
import Hummingbird

/// What the outer responder learns about a request while the router runs it: which route answered (for the
/// metrics' label) and whether its body had arrived (a timeout before that is the client's, 408).
final class RequestState: @unchecked Sendable {
    private let lock = NSLock()
    private var _route: Route?
    private var _bodyReceived = false

    var route: Route? {
        get { lock.withLock { _route } }
        set { lock.withLock { _route = newValue } }
    }

    var hasBody: Bool { lock.withLock { _bodyReceived } }
    func bodyReceived() { lock.withLock { _bodyReceived = true } }
}

/// The request context of the service: Hummingbird's basic one with a `RequestState`.
struct ServeContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let state = RequestState()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
