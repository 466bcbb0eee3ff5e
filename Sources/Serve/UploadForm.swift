import Foundation
import Hummingbird

/// The images and text fields of a request body: multipart/form-data (images in fields `file`, or `file1` and
/// `file2`) or JSON (`{"image": BASE64}`, or `image1` and `image2`). Parts are kept in memory (the body is
/// bounded by `--max-body-mb`); nothing a client sends ever names a file on disk.
struct UploadForm {
    /// The image slots a route reads, with their multipart and JSON names.
    enum Slot: String {
        case single, first, second

        var multipartName: String {
            switch self {
            case .single: return "file"
            case .first: return "file1"
            case .second: return "file2"
            }
        }

        var jsonName: String {
            switch self {
            case .single: return "image"
            case .first: return "image1"
            case .second: return "image2"
            }
        }
    }

    private(set) var images: [Slot: [UInt8]] = [:]
    /// The names the client sent, to name them when an expected one is missing.
    private(set) var fieldNames: [String] = []
    let isJSON: Bool

    /// Parses `body` by the request's Content-Type.
    init(contentType: String?, body: ByteBuffer) throws {
        guard let contentType, !contentType.isEmpty else {
            throw APIError(.unsupportedMediaType, .missingContentType, "send the image as multipart/form-data (field 'file') or as JSON {\"image\": BASE64}")
        }
        let mediaType = Self.mediaType(contentType)
        switch mediaType {
        case "multipart/form-data":
            isJSON = false
            try parseMultipart(contentType: contentType, body: body)
        case "application/json":
            isJSON = true
            try parseJSON(body)
        default:
            throw APIError(.unsupportedMediaType, .unsupportedMediaType, "Content-Type '\(mediaType.prefix(100))' is not multipart/form-data or application/json")
        }
    }

    /// A Content-Type's media type, lowercased, without its parameters ("multipart/form-data; boundary=x" ->
    /// "multipart/form-data"); "" for none.
    static func mediaType(_ contentType: String?) -> String {
        contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// The image of `slot`, or a 400 naming the field that is missing and the ones that were sent.
    func image(_ slot: Slot) throws -> [UInt8] {
        if let bytes = images[slot] { return bytes }
        let name = isJSON ? slot.jsonName : slot.multipartName
        let kind = isJSON ? "JSON member" : "multipart field"
        let sent = fieldNames.isEmpty ? "none" : fieldNames.map { "'\($0)'" }.joined(separator: ", ")
        throw APIError.badRequest(.missingImage, "no \(kind) '\(name)' holding an image (sent: \(sent))")
    }

    private mutating func parseMultipart(contentType: String, body: ByteBuffer) throws {
        guard let boundary = Self.parameter("boundary", of: contentType), !boundary.isEmpty, boundary.count <= 200 else {
            throw APIError.badRequest(.malformedMultipart, "multipart/form-data without a boundary parameter")
        }
        guard body.readableBytes > 0 else {
            throw APIError.badRequest(.emptyBody, "the multipart body is empty: send the image in field 'file'")
        }
        let parts: [MultipartForm.Part]
        do {
            parts = try MultipartForm.parts(Array(body.readableBytesView), boundary: boundary)
        } catch let error as MultipartForm.Malformed {
            throw APIError.badRequest(.malformedMultipart, "the multipart body does not parse: \(error.reason)")
        }
        guard !parts.isEmpty else {
            throw APIError.badRequest(.emptyBody, "the multipart body holds no part (boundary '\(boundary)')")
        }
        for part in parts {
            let name = part.name ?? ""
            fieldNames.append(name)
            let slot = [Slot.single, .first, .second].first { $0.multipartName == name }
            if let slot { images[slot] = Array(part.body) }
        }
    }

    private mutating func parseJSON(_ body: ByteBuffer) throws {
        let data = Data(body.readableBytesView)
        guard !data.isEmpty else { throw APIError.badRequest(.emptyBody, "the JSON body is empty: send {\"image\": BASE64}") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw APIError.badRequest(.malformedJson, "the body is not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
        }
        guard let members = object as? [String: Any] else {
            throw APIError.badRequest(.malformedJson, "the JSON body must be an object such as {\"image\": BASE64}")
        }
        fieldNames = members.keys.sorted()
        for slot in [Slot.single, .first, .second] {
            guard let value = members[slot.jsonName] else { continue }
            guard let text = value as? String else {
                throw APIError.badRequest(.malformedJson, "JSON member '\(slot.jsonName)' must be a base64 string")
            }
            // A data URL (data:image/jpeg;base64,...) is accepted as well as bare base64.
            let payload = text.hasPrefix("data:") ? String(text.drop { $0 != "," }.dropFirst()) : text
            guard let bytes = Data(base64Encoded: payload), !bytes.isEmpty else {
                throw APIError.badRequest(.malformedBase64, "JSON member '\(slot.jsonName)' is not base64 of an image")
            }
            images[slot] = [UInt8](bytes)
        }
    }

    /// `key=value` (quotes removed) among the `;`-separated parameters of a header value.
    static func parameter(_ key: String, of header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
