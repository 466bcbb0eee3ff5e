import Foundation
import Hummingbird

/// The body of POST /api/v1/recognize/embeddings: `{"embeddings": [[x, ...], ...]}`, faces a client embedded
/// itself (with `/api/v1/embed` or `facenet embed`), as CompreFace's `/recognition/embeddings/recognize` takes
/// them. Each must have the gallery's embedding size and finite values; it is scaled to unit length (the
/// gallery's distances are between unit vectors), so a zero vector is refused.
struct ProbeEmbeddings {
    /// At most this many probes per request (the body limit bounds them too).
    static let limit = 1000

    let vectors: [[Float]]

    private struct Body: Decodable {
        let embeddings: [[Double]]
    }

    init(_ body: ByteBuffer, size: Int) throws {
        let example = "{\"embeddings\": [[\(size) numbers]]}"
        guard body.readableBytes > 0 else { throw APIError.badRequest(.emptyBody, "the JSON body is empty: send \(example)") }
        let decoded: Body
        do {
            decoded = try JSONDecoder().decode(Body.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError.badRequest(.malformedJson, "the body must be JSON such as \(example): \(Self.reason(error))")
        }
        guard (1...Self.limit).contains(decoded.embeddings.count) else {
            throw APIError.badRequest(.invalidEmbedding, "send 1 to \(Self.limit) embeddings, got \(decoded.embeddings.count)")
        }
        vectors = try decoded.embeddings.enumerated().map { row, values in
            guard values.count == size else {
                throw APIError.badRequest(.invalidEmbedding, "embedding \(row) has \(values.count) values, the gallery's model has \(size)")
            }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard values.allSatisfy(\.isFinite), norm.isFinite, norm > 0 else {
                throw APIError.badRequest(.invalidEmbedding, "embedding \(row) is not a finite, non-zero vector")
            }
            return values.map { Float($0 / norm) }
        }
    }

    /// A decoding error in a sentence, bounded (it may quote the client's input).
    private static func reason(_ error: any Error) -> String {
        let text: String
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            text = (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
        case DecodingError.keyNotFound(let key, _):
            text = "member '\(key.stringValue)' is missing"
        default:
            text = "\(error)"
        }
        return String(text.prefix(200))
    }
}
