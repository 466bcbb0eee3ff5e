import Gallery
import Hummingbird

/// Every route of the service, once: the router is built from this list and a test holds the OpenAPI
/// document (Web/openapi.yaml) equal to it.
public enum Route: String, CaseIterable, Sendable {
    case detect, embed, verify, recognize, recognizeEmbeddings
    case listSubjects, addSubject, deleteSubject
    case enrollFace, listFaces, deleteFace
    case health, metrics, openAPI, page, script

    public var method: HTTPRequest.Method {
        switch self {
        case .detect, .embed, .verify, .recognize, .recognizeEmbeddings, .addSubject, .enrollFace: return .post
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
        case .recognizeEmbeddings: return "/api/v1/recognize/embeddings"
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

    /// The methods the routes whose path matches `path` take (a `{name}` part matches any one segment): a
    /// request with another method gets 405 and these in `Allow` (RFC 9110, 15.5.6), not 404.
    public static func methods(forPath path: some StringProtocol) -> [HTTPRequest.Method] {
        let asked = path.split(separator: "/", omittingEmptySubsequences: false)
        var methods: [HTTPRequest.Method] = []
        for route in allCases where !methods.contains(route.method) {
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == asked.count else { continue }
            let matches = zip(pattern, asked).allSatisfy { part, given in
                part.hasPrefix("{") ? !given.isEmpty : part == given
            }
            if matches { methods.append(route.method) }
        }
        return methods
    }

    /// The role a key needs, or nil for the public routes (health, metrics, the document, the page).
    public var role: APIKeyRole? {
        switch self {
        case .detect, .embed, .verify, .recognize, .recognizeEmbeddings, .listSubjects, .listFaces: return .read
        case .addSubject, .deleteSubject, .enrollFace, .deleteFace: return .write
        case .health, .metrics, .openAPI, .page, .script: return nil
        }
    }

    /// The label of the route in metrics: its OpenAPI path (bounded: never the client's own path).
    var metricLabel: String { path }
}
