import Gallery
import Hummingbird

/// Every route of the service, once: the router is built from this list and a test holds the OpenAPI
/// document (Web/openapi.yaml) equal to it.
public enum Route: String, CaseIterable, Sendable {
    case detect, embed, verify, recognize
    case listSubjects, addSubject, deleteSubject
    case enrollFace, listFaces, deleteFace
    case health, metrics, openAPI, page, script

    public var method: HTTPRequest.Method {
        switch self {
        case .detect, .embed, .verify, .recognize, .addSubject, .enrollFace: return .post
        case .deleteSubject, .deleteFace: return .delete
        case .listSubjects, .listFaces, .health, .metrics, .openAPI, .page, .script: return .get
        }
    }

    /// The path as OpenAPI writes it (`{name}` for a parameter).
    public var path: String {
        switch self {
        case .detect: return "/api/v1/detect"
        case .embed: return "/api/v1/embed"
        case .verify: return "/api/v1/verify"
        case .recognize: return "/api/v1/recognize"
        case .listSubjects, .addSubject: return "/api/v1/subjects"
        case .deleteSubject: return "/api/v1/subjects/{name}"
        case .enrollFace, .listFaces: return "/api/v1/subjects/{name}/faces"
        case .deleteFace: return "/api/v1/subjects/{name}/faces/{id}"
        case .health: return "/health"
        case .metrics: return "/metrics"
        case .openAPI: return "/openapi.yaml"
        case .page: return "/"
        case .script: return "/app.js"
        }
    }

    /// The same path in Hummingbird's router syntax (`:name`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }

    /// The role a key needs, or nil for the public routes (health, metrics, the document, the page).
    public var role: APIKeyRole? {
        switch self {
        case .detect, .embed, .verify, .recognize, .listSubjects, .listFaces: return .read
        case .addSubject, .deleteSubject, .enrollFace, .deleteFace: return .write
        case .health, .metrics, .openAPI, .page, .script: return nil
        }
    }

    /// The label of the route in metrics: its OpenAPI path (bounded: never the client's own path).
    var metricLabel: String { path }
}
