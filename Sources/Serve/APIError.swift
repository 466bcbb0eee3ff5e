import Foundation
import Gallery
import HTTPTypes
import Hummingbird
import Support
import Vision

/// An error the service answers with: an HTTP status, a short machine-readable code and a message naming the
/// problem, sent as `{"error": {"code": ..., "message": ...}}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func unprocessable(_ code: String, _ message: String) -> APIError { APIError(.unprocessableContent, code, message) }

    /// Any error a handler throws, as the service reports it. Errors a client can cause map to 4xx; only a
    /// failure of the service itself (the model, the disk) is a 500.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let image as ImageLoadError:
            if case .tooLarge = image.reason { return APIError(.contentTooLarge, "image_too_large", image.description) }
            if case .truncated = image.reason { return unprocessable("truncated_image", image.description) }
            return unprocessable("not_an_image", image.description)
        case let http as HTTPError:
            switch http.status {
            case .contentTooLarge:
                return APIError(.contentTooLarge, "body_too_large", http.body ?? "the request body is larger than the limit")
            default:
                return APIError(http.status, "http_\(http.status.code)", http.body ?? http.status.reasonPhrase)
            }
        case let user as UserError:
            return badRequest("invalid_request", user.message)
        case is CancellationError:
            return APIError(.serviceUnavailable, "cancelled", "the request was cancelled (timeout or shutdown)")
        default:
            return APIError(.internalServerError, "internal", "\(error)")
        }
    }

    /// The JSON response.
    func response() -> Response {
        let body = JSONBody.object(["error": JSONBody.object(["code": .string(code), "message": .string(message)])])
        var response = JSONBody.response(body, status: status)
        if status == .serviceUnavailable { response.headers[.retryAfter] = "1" }
        return response
    }
}
