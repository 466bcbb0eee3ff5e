import Foundation
import Recognition
import Vision

/// How `facenet serve` runs: where it listens, its batching and its limits (docs/serve.md).
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// PEM files; both or neither.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Photos detected together (and whose faces are embedded together) in one pass of the model.
    public var maxBatch = 16
    /// How long the first photo of a batch waits for others, in seconds.
    public var maxWait = 0.005
    /// Largest request body, in bytes (413 above it).
    public var bodyLimit = 10 << 20
    /// Largest image, in pixels, read from the header before any pixel is decoded (413 above it).
    public var maxPixels = 40_000_000
    /// A request not answered in this many seconds is answered 408 (body still arriving) or 503.
    public var requestTimeout = 30.0
    /// Identities listed per face unless the request's `top_k` says otherwise.
    public var topK = 3
    public var gate = QualityGate()
    /// The 1:1 threshold of /verify.
    public var pairThreshold = PairThreshold.pretrainedLFW

    public init() {}

    /// The decoder's own ceiling (Vision): --max-pixels may lower it, not raise it.
    public static let maxPixelsLimit = Image.defaultMaxPixels

    /// Largest `top_k` and `limit` a request may ask for.
    public static let topKRange = 1...100
}
