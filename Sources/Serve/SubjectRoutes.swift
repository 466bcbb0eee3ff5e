import Eval
import Foundation
import Gallery
import Hummingbird
import Recognition
import Support

/// The subjects (identities) of the gallery and their faces: list, create, delete, enroll a photo, list and
/// delete faces. Enrolment uses `facenet enroll`'s rule (one face, or the main one with `largest=true`; the
/// quality gate) and is committed before it is answered.
struct SubjectRoutes {
    let service: ServeService
    let input: RequestInput
    var gallery: LiveGallery { service.gallery }

    func list(_ request: Request) async throws -> Response {
        let database = gallery.database
        let identities = try await blocking { try database.identities() }
        let rows: [JSONValue] = identities.map { JSONBody.object(["subject": .string($0.identity.name), "faces": .int($0.faces)]) }
        return JSONBody.response(JSONBody.object(["subjects": .array(rows)]))
    }

    func add(_ request: Request) async throws -> Response {
        let body = try await input.body(request)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw APIError.badRequest(.malformedJson, "the body must be a JSON object such as {\"subject\": \"Ada Lovelace\"}")
        }
        guard let raw = object["subject"] as? String else {
            throw APIError.badRequest(.missingSubject, "JSON member 'subject' (a string) is missing (sent: \(object.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")))")
        }
        let name: String
        do { name = try IdentityName.validated(raw) } catch let error as UserError { throw APIError.badRequest(.invalidName, error.message) }
        let created = try await blocking { [gallery] in
            try gallery.change { try $0.createIdentity(name) }
        }
        guard created else { throw APIError(.conflict, .subjectExists, "subject '\(name)' already exists") }
        return JSONBody.response(JSONBody.object(["subject": .string(name)]), status: .created)
    }

    func delete(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let name = try input.subject(context)
        let removed = try await blocking { [gallery] in
            try gallery.change { database -> Bool in
                guard try database.identity(named: name) != nil else { return false }
                try database.remove(name)
                return true
            }
        }
        guard removed else { throw APIError.notFound("no subject named '\(name)'") }
        return JSONBody.response(JSONBody.object(["deleted": .string(name)]))
    }

    func enroll(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let name = try input.subject(context)
        let largest = try input.flag(request, "largest")
        let form = try await input.form(request)
        let bytes = try form.image(.single)
        let (image, faces) = try await FaceRoutes(service: service, input: input).faces(form, .single, embed: true)
        let face: FoundFace
        switch EnrollJob.choose(faces.map(\.found), in: image, largest: largest, gate: service.options.gate) {
        case .failure(let problem):
            let hint = problem.reason.replacingOccurrences(of: "pass --largest", with: "pass largest=true")
            throw APIError.unprocessable(problem.rejected ? .faceRejected : .noFace, hint)
        case .success(let chosen):
            face = chosen
        }
        guard let embedding = faces.first(where: { $0.found.detection == face.detection })?.embedding else {
            throw APIError(.internalServerError, .internalError, "the chosen face has no embedding")
        }
        let digest = FileDigest.sha256(of: Data(bytes))
        let new = NewFace(face, embedding: embedding, sourcePath: "facenet serve upload", sourceSHA256: digest)
        let stored = try await blocking { [gallery] in
            try gallery.change { database -> StoredFace? in
                guard try database.add([new], to: name) == 1, let identity = try database.identity(named: name) else { return nil }
                return try database.faces(of: identity).last { $0.sourceSHA256 == digest }
            }
        }
        guard let stored else { throw APIError(.conflict, .alreadyEnrolled, "this photo (sha256 \(digest.prefix(12))) is already enrolled for '\(name)'") }
        return JSONBody.response(Self.faceObject(stored, subject: name))
    }

    func faces(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let name = try input.subject(context)
        let database = gallery.database
        let faces = try await blocking { () -> [StoredFace]? in
            guard let identity = try database.identity(named: name) else { return nil }
            return try database.faces(of: identity)
        }
        guard let faces else { throw APIError.notFound("no subject named '\(name)'") }
        return JSONBody.response(JSONBody.object(["subject": .string(name), "faces": .array(faces.map { Self.faceObject($0, subject: nil) })]))
    }

    func deleteFace(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let name = try input.subject(context)
        let id = try input.faceId(context)
        let problem = try await blocking { [gallery] in
            try gallery.change { database -> String? in
                guard let identity = try database.identity(named: name) else { return "no subject named '\(name)'" }
                guard try database.faces(of: identity).contains(where: { $0.id == id }) else { return "subject '\(name)' has no face with id \(id)" }
                try database.removeFace(id, of: name)
                return nil
            }
        }
        if let problem { throw APIError.notFound(problem) }
        return JSONBody.response(JSONBody.object(["deleted": .int(Int(id)), "subject": .string(name)]))
    }

    static func faceObject(_ face: StoredFace, subject: String?) -> JSONValue {
        var members: [JSONValue.Member] = subject.map { [.init("subject", .string($0))] } ?? []
        members += [
            .init("face_id", .int(Int(face.id ?? 0))),
            .init("box", .array(face.box.map { .number(($0 * 100).rounded() / 100) })),
            .init("detection_score", .number((face.detectionScore * 1e4).rounded() / 1e4)),
            .init("sharpness", .number((face.sharpness * 100).rounded() / 100)),
            .init("source_sha256", .string(face.sourceSHA256)),
            .init("created", .string(face.created)),
        ]
        return .object(members)
    }
}
