import Foundation
import Gallery
import Hummingbird
import Recognition

/// The service's parts (the model's batcher, the live gallery, the keys, the metrics, the page) and the
/// dispatch of each route to its handler.
public final class ServeService: @unchecked Sendable {
    let options: ServeOptions
    let batcher: FaceBatcher
    let gallery: LiveGallery
    let keys: APIKeyCheck
    let metrics: ServeMetrics
    let assets: WebAssets

    public init(options: ServeOptions, pipeline: FacePipeline, database: any GalleryStore) throws {
        let metrics = ServeMetrics()
        self.options = options
        self.metrics = metrics
        assets = try WebAssets()
        gallery = try LiveGallery(database) { metrics.gallery($0) }
        keys = try APIKeyCheck(database)
        batcher = FaceBatcher(pipeline: pipeline, maxBatch: options.maxBatch, maxWait: options.maxWait) { metrics.batch($0) }
    }

    /// Finishes the queued photos, stops the model's thread and closes the gallery (an SQLite file's WAL copied
    /// into it; PostgreSQL's connections closed), after the server has stopped taking requests.
    public func close() throws {
        batcher.stop()
        try gallery.database.close()
    }

    func handle(_ route: Route, _ request: Request, _ context: ServeContext) async throws -> Response {
        context.state.route = route
        if let role = route.role { try keys.authorize(request, needed: role) }
        let input = RequestInput(options: options, state: context.state)
        let faces = FaceRoutes(service: self, input: input)
        let subjects = SubjectRoutes(service: self, input: input)
        switch route {
        case .detect: return try await faces.detect(request)
        case .embed: return try await faces.embed(request)
        case .verify: return try await faces.verify(request)
        case .recognize: return try await faces.recognize(request)
        case .recognizeEmbeddings: return try await faces.recognizeEmbeddings(request)
        case .listSubjects: return try await subjects.list(request)
        case .addSubject: return try await subjects.add(request)
        case .deleteSubject: return try await subjects.delete(request, context)
        case .enrollFace: return try await subjects.enroll(request, context)
        case .listFaces: return try await subjects.faces(request, context)
        case .deleteFace: return try await subjects.deleteFace(request, context)
        case .health:
            let index = gallery.index
            return JSONBody.response(
                JSONBody.object([
                    "status": "ok", "identities": .int(index.identityCount), "faces": .int(index.faceCount),
                    "model": .string(gallery.database.model.name),
                ]))
        case .metrics: return Self.text(metrics.text(), type: "text/plain; version=0.0.4")
        case .openAPI: return Self.text(assets.openAPI, type: "application/yaml")
        case .page: return Self.text(assets.page, type: "text/html; charset=utf-8")
        case .script: return Self.text(assets.script, type: "text/javascript; charset=utf-8")
        }
    }

    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The router: one entry per `Route`.
    func router() -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        for route in Route.allCases {
            router.on(RouterPath(route.routerPath), method: route.method) { [self] request, context in
                try await self.handle(route, request, context)
            }
        }
        return router
    }
}
