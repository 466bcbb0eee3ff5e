import Foundation
import Gallery
import Hummingbird
import Support
import Vision

/// Reading what a request carries: its body (bounded), its images (decoded with the pixel limit checked from
/// the header first), its query parameters and path parameters, each refused with a 4xx naming the problem.
struct RequestInput {
    let options: ServeOptions
    let state: RequestState

    /// The body, refused with 413 as soon as its declared or received length passes the limit.
    func body(_ request: Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > options.bodyLimit {
            throw bodyTooLarge(declared)
        }
        do {
            let body = try await request.body.collect(upTo: options.bodyLimit)
            state.bodyReceived()
            return body
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw bodyTooLarge(nil)
        }
    }

    private func bodyTooLarge(_ declared: Int?) -> APIError {
        APIError(
            .contentTooLarge, .bodyTooLarge,
            "the request body\(declared.map { " (\($0) bytes)" } ?? "") is larger than the limit of \(options.bodyLimit) bytes (--max-body-mb)")
    }

    /// The upload form of a request.
    func form(_ request: Request) async throws -> UploadForm {
        let body = try await body(request)
        return try UploadForm(contentType: request.headers[.contentType], body: body)
    }

    /// Decodes an uploaded image; `label` names it in errors ("field 'file'").
    func image(_ bytes: [UInt8], label: String) async throws -> Image {
        let maxPixels = options.maxPixels
        return try await blocking { try Image.decode(bytes, maxPixels: maxPixels, name: label) }
    }

    /// An integer query parameter in `range`, or `fallback` when absent.
    func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>, default fallback: Int?) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest(.invalidParameter, "query parameter \(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text.prefix(40))'")
        }
        return value
    }

    /// A number query parameter in `range`, or nil when absent.
    func number(_ request: Request, _ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw APIError.badRequest(.invalidParameter, "query parameter \(name) must be a number in \(range.lowerBound)...\(range.upperBound), got '\(text.prefix(40))'")
        }
        return value
    }

    /// A boolean query parameter (true / false), false when absent.
    func flag(_ request: Request, _ name: String) throws -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return false }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIError.badRequest(.invalidParameter, "query parameter \(name) must be true or false, got '\(text.prefix(40))'")
        }
    }

    /// The subject name of the path, percent-decoded and checked by the gallery's own rule (no slash, no
    /// control character, not empty, at most 200 characters).
    func subject(_ context: some RequestContext) throws -> String {
        let raw = context.parameters.get("name") ?? ""
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError.badRequest(.invalidName, "the subject name in the path is not valid percent-encoded UTF-8")
        }
        do {
            return try IdentityName.validated(decoded)
        } catch let error as UserError {
            throw APIError.badRequest(.invalidName, error.message)
        }
    }

    /// The face id of the path.
    func faceId(_ context: some RequestContext) throws -> Int64 {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int64(raw), id > 0 else {
            throw APIError.badRequest(.invalidFaceId, "face id must be a positive integer, got '\(raw.prefix(40))'")
        }
        return id
    }
}
