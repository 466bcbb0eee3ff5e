import Foundation
import Hummingbird

/// The outermost responder: runs the router under the request timeout, turns every error into a JSON answer
/// (APIError.from: 4xx for what a client can cause), gives Hummingbird's own bodiless errors (no route; a
/// method a path does not take, which Hummingbird answers 404 and this makes 405) the same JSON shape, and counts each answer in the metrics.
struct ServeResponder: HTTPResponder {
    typealias Context = ServeContext
    let router: RouterResponder<ServeContext>
    let service: ServeService

    func respond(to request: Request, context: ServeContext) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await withTimeout(request, context)
        } catch {
            response = APIError.from(error).response()
        }
        if response.status.code >= 400, response.headers[.contentType] != "application/json" {
            let path = request.uri.path.prefix(200)
            let allowed = response.status == .notFound ? Route.methods(forPath: request.uri.path) : []
            if !allowed.isEmpty {
                let names = allowed.map(\.rawValue).joined(separator: ", ")
                response = APIError(.methodNotAllowed, .methodNotAllowed, "\(path) takes \(names), not \(request.method.rawValue)").response()
                response.headers[.allow] = names
            } else {
                let message = response.status == .notFound ? "no route \(request.method.rawValue) \(path)" : response.status.reasonPhrase
                response = APIError(response.status, response.status == .notFound ? .noRoute : .httpError, message).response()
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        // Labels from the route table only: a client's own paths and methods would make series without bound.
        let route = context.state.route
        service.metrics.request(
            route: route?.metricLabel ?? "unmatched", method: route?.method.rawValue ?? "other", status: Int(response.status.code),
            seconds: seconds)
        return response
    }

    /// The router's answer, or a timeout: 408 while the body is still arriving, 503 after (the service is
    /// overloaded; Retry-After says when to try again).
    private func withTimeout(_ request: Request, _ context: ServeContext) async throws -> Response {
        let timeout = service.options.requestTimeout
        let router = self.router
        return try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await router.respond(to: request, context: context) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                if context.state.hasBody || request.method == .get || request.method == .delete {
                    throw APIError(.serviceUnavailable, .timeout, "the request was not answered within \(timeout) s (--request-timeout): the service is overloaded")
                }
                throw APIError(.requestTimeout, .timeout, "the request body did not arrive within \(timeout) s (--request-timeout)")
            }
            return response
        }
    }
}
