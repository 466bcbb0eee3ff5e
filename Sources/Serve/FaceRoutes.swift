import Alignment
import Eval
import Foundation
import Hummingbird
import Recognition
import Vision

/// POST /api/v1/detect, /embed, /verify and /recognize: the same detector, crop rule, search, decisions and
/// JSON fields as `facenet detect`, `identify` and `verify` (ResultJSON), on uploaded photos.
struct FaceRoutes {
    let service: ServeService
    let input: RequestInput

    /// The uploaded photo of `slot`, decoded, with its faces from the shared batches.
    func faces(_ form: UploadForm, _ slot: UploadForm.Slot, embed: Bool) async throws -> (Image, [BatchedFace]) {
        let name = form.isJSON ? slot.jsonName : slot.multipartName
        let image = try await input.image(try form.image(slot), label: "\(form.isJSON ? "JSON member" : "field") '\(name)'")
        return (image, try await service.batcher.faces(of: image, embed: embed))
    }

    static func imageObject(_ image: Image) -> JSONValue {
        JSONBody.object(["width": .int(image.width), "height": .int(image.height)])
    }

    func detect(_ request: Request) async throws -> Response {
        let (image, faces) = try await faces(try await input.form(request), .single, embed: false)
        return JSONBody.response(
            JSONBody.object([
                "image": Self.imageObject(image),
                "faces": .array(faces.map { .object(ResultJSON.face($0.found.detection)) }),
            ]))
    }

    func embed(_ request: Request) async throws -> Response {
        let (image, faces) = try await faces(try await input.form(request), .single, embed: true)
        let rows: [JSONValue] = faces.map { face in
            .object(ResultJSON.face(face.found.detection) + [.init("embedding", .numbers((face.embedding ?? []).map(Double.init)))])
        }
        return JSONBody.response(JSONBody.object(["image": Self.imageObject(image), "faces": .array(rows)]))
    }

    func verify(_ request: Request) async throws -> Response {
        let form = try await input.form(request)
        _ = try form.image(.first)
        _ = try form.image(.second)
        async let first = faces(form, .first, embed: true)
        async let second = faces(form, .second, embed: true)
        let photos = try await [first, second]
        var embeddings: [[Float]] = []
        var detections: [DetectedFace?] = []
        for (photo, slot) in zip(photos, [UploadForm.Slot.first, .second]) {
            let (image, faces) = photo
            guard let main = FacePipeline.mainFace(faces.map(\.found), in: image),
                let face = faces.first(where: { $0.found.detection == main.detection }), let embedding = face.embedding
            else {
                throw APIError.unprocessable(.noFace, "no face found in \(form.isJSON ? slot.jsonName : slot.multipartName)")
            }
            embeddings.append(embedding)
            detections.append(face.found.detection)
        }
        let threshold = service.options.pairThreshold
        let result = Verification.decide(embeddings[0], embeddings[1], faces: detections, threshold: threshold)
        let labels = form.isJSON ? ["image1", "image2"] : ["file1", "file2"]
        return JSONBody.response(result.json(paths: labels, threshold: threshold))
    }

    /// The index to search and the `top_k` and `threshold` query parameters of the recognize routes.
    private func search(_ request: Request) throws -> (index: GalleryIndex, threshold: ThresholdInUse, topK: Int) {
        let topK = try input.integer(request, "top_k", in: ServeOptions.topKRange, default: service.options.topK)!
        let (index, stored) = service.gallery.state
        let threshold = try input.number(request, "threshold", in: 0...4).map {
            stored.with(value: $0, origin: "request parameter threshold")
        } ?? stored
        return (index, threshold, topK)
    }

    func recognize(_ request: Request) async throws -> Response {
        let (index, threshold, topK) = try search(request)
        let limit = try input.integer(request, "limit", in: 0...1000, default: 0)!
        let (image, found) = try await faces(try await input.form(request), .single, embed: true)
        // `limit` keeps the largest faces (0: all), as CompreFace's parameter does.
        let kept = limit == 0 ? found : Array(found.sorted { $0.found.size > $1.found.size }.prefix(limit))
        let results = try await blocking {
            try Identification.decide(
                [("upload", kept.map(\.found.detection), kept.map { $0.embedding ?? [] })], index: index,
                threshold: threshold, topK: topK)[0]
        }
        let faces: [JSONValue] = results.map { result in
            // identify's line without its "path" member (an upload has none).
            guard case .object(let members) = ResultJSON.identification(result, threshold: threshold) else { return .null }
            return .object(members.filter { $0.key != "path" })
        }
        return JSONBody.response(JSONBody.object(["image": Self.imageObject(image), "faces": .array(faces)]))
    }

    /// Recognition of embeddings the client computed: the same search and decisions, no photo.
    func recognizeEmbeddings(_ request: Request) async throws -> Response {
        let (index, threshold, topK) = try search(request)
        guard UploadForm.mediaType(request.headers[.contentType]) == "application/json" else {
            throw APIError(.unsupportedMediaType, .unsupportedMediaType, "send the embeddings as application/json: {\"embeddings\": [[...]]}")
        }
        let probes = try ProbeEmbeddings(try await input.body(request), size: service.gallery.database.model.embeddingSize).vectors
        let decided = try await blocking { try Identification.decide(probes, index: index, threshold: threshold, topK: topK) }
        let results: [JSONValue] = decided.map { .object(ResultJSON.decision($0.decision, candidates: $0.candidates, threshold: threshold)) }
        return JSONBody.response(JSONBody.object(["results": .array(results)]))
    }
}
