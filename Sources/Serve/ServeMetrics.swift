import Foundation
import Prometheus
import Recognition

/// The service's Prometheus metrics (swift-prometheus), served at /metrics in the text format.
final class ServeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let photosPerBatch: ValueHistogram
    private let facesPerPass: ValueHistogram
    private let galleryFaces: Gauge
    private let galleryIdentities: Gauge
    private static let latencyBuckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map { .milliseconds(Int($0 * 1000)) }

    init() {
        photosPerBatch = registry.makeValueHistogram(
            descriptor: .init(namespace: "facenet", metricName: "batch_photos", unitName: "", helpText: "Photos per detector pass (dynamic batching)"),
            labels: [], buckets: [1, 2, 4, 8, 16, 32, 64])
        facesPerPass = registry.makeValueHistogram(
            descriptor: .init(namespace: "facenet", metricName: "batch_faces", unitName: "", helpText: "Faces per embedding forward pass"),
            labels: [], buckets: [0, 1, 2, 4, 8, 16, 32, 64, 128])
        galleryFaces = registry.makeGauge(
            descriptor: .init(namespace: "facenet", metricName: "gallery_faces", unitName: "", helpText: "Faces in the in-memory index"), labels: [])
        galleryIdentities = registry.makeGauge(
            descriptor: .init(namespace: "facenet", metricName: "gallery_identities", unitName: "", helpText: "Identities with faces in the in-memory index"),
            labels: [])
    }

    /// One answered request: its route (the pattern, never the client's path) and status.
    func request(route: String, method: String, status: Int, seconds: Double) {
        registry.makeCounter(
            descriptor: .init(namespace: "facenet", metricName: "http_requests", unitName: "total", helpText: "Requests answered, by route and status"),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "facenet", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer a request, by route"),
            labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets
        ).record(.nanoseconds(Int64(seconds * 1e9)))
    }

    func batch(_ batch: FaceBatcher.Batch) {
        photosPerBatch.record(Double(batch.photos))
        facesPerPass.record(Double(batch.faces))
    }

    func gallery(_ index: GalleryIndex) {
        galleryFaces.set(to: Double(index.faceCount))
        galleryIdentities.set(to: Double(index.identityCount))
    }

    func text() -> String { registry.emitToString() }
}
