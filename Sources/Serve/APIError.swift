import Foundation
import Gallery
import HTTPTypes
import Hummingbird
import Support
import Vision

/// An error the service answers with: an HTTP status, a short machine-readable code and a message naming the
/// problem, sent as `{"error": {"code": ..., "message": ...}}`.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The `code` of an error answer (docs/serve.md lists them).
    public enum Code: String, CaseIterable, Sendable {
        case alreadyEnrolled = "already_enrolled"
        case bodyTooLarge = "body_too_large"
        case cancelled = "cancelled"
        case emptyBody = "empty_body"
        case faceRejected = "face_rejected"
        case galleryUnavailable = "gallery_unavailable"
        case httpError = "http_error"
        case imageTooLarge = "image_too_large"
        case insufficientRole = "insufficient_role"
        case internalError = "internal"
        case invalidApiKey = "invalid_api_key"
        case invalidEmbedding = "invalid_embedding"
        case invalidFaceId = "invalid_face_id"
        case invalidName = "invalid_name"
        case invalidParameter = "invalid_parameter"
        case invalidRequest = "invalid_request"
        case malformedBase64 = "malformed_base64"
        case malformedJson = "malformed_json"
        case malformedMultipart = "malformed_multipart"
        case methodNotAllowed = "method_not_allowed"
        case missingApiKey = "missing_api_key"
        case missingContentType = "missing_content_type"
        case missingImage = "missing_image"
        case missingSubject = "missing_subject"
        case noFace = "no_face"
        case noRoute = "no_route"
        case notAnImage = "not_an_image"
        case notFound = "not_found"
        case shuttingDown = "shutting_down"
        case subjectExists = "subject_exists"
        case timeout = "timeout"
        case truncatedImage = "truncated_image"
        case unsupportedMediaType = "unsupported_media_type"
    }

    public let status: HTTPResponse.Status
    public let code: Code
    public let message: String

    public init(_ status: HTTPResponse.Status, _ code: Code, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code.rawValue): \(message)" }

    static func badRequest(_ code: Code, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, .notFound, message) }
    static func unprocessable(_ code: Code, _ message: String) -> APIError { APIError(.unprocessableContent, code, message) }

    /// Any error a handler throws, as the service reports it. Errors a client can cause map to 4xx; only a
    /// failure of the service itself (the model, the disk) is a 500.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let image as ImageLoadError:
            if case .tooLarge = image.reason { return APIError(.contentTooLarge, .imageTooLarge, image.description) }
            if case .truncated = image.reason { return unprocessable(.truncatedImage, image.description) }
            return unprocessable(.notAnImage, image.description)
        case let http as HTTPError:
            switch http.status {
            case .contentTooLarge:
                return APIError(.contentTooLarge, .bodyTooLarge, http.body ?? "the request body is larger than the limit")
            default:
                return APIError(http.status, .httpError, http.body ?? http.status.reasonPhrase)
            }
        case let user as UserError:
            return badRequest(.invalidRequest, user.message)
        case let unavailable as GalleryUnavailable:
            return APIError(.serviceUnavailable, .galleryUnavailable, unavailable.message + " (recognition goes on from memory)")
        case is CancellationError:
            return APIError(.serviceUnavailable, .cancelled, "the request was cancelled (timeout or shutdown)")
        default:
            return APIError(.internalServerError, .internalError, "\(error)")
        }
    }

    /// The JSON response.
    func response() -> Response {
        let body = JSONBody.object(["error": JSONBody.object(["code": .string(code.rawValue), "message": .string(message)])])
        var response = JSONBody.response(body, status: status)
        if status == .serviceUnavailable { response.headers[.retryAfter] = "1" }
        return response
    }
}
