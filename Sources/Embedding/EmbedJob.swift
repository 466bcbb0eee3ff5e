import Foundation
import Models
import Support
import TorchBridge
import Vision

/// `facenet embed`: every image of an aligned `root/<identity>/<image>` folder through the model into one
/// HDF5 file (`EmbeddingFile`). Bad images are reported and skipped. `facenet cluster` uses the same job
/// in memory (`embeddings`), also on a flat folder.
public struct EmbedJob {
    public var root: String
    /// Where `run` writes (unused by `embeddings`).
    public var output: String
    public var batchSize: Int = 64
    /// Decoding threads ahead of the network (the network itself uses libtorch's intra-op pool).
    public var decodeThreads: Int = 2
    /// `--shard k/N`: this process's images (`Shard`, as `facenet align`'s); labels and label names stay those
    /// of the whole folder, so the shards' files together are the whole folder's.
    public var shard = Shard.all

    /// Also accept a flat folder of images when no identity folder holds any: the labels are then
    /// `EmbedJob.noIdentity` and there are no label names.
    public var acceptsFlatFolder = false

    /// The label of every image of a flat folder.
    public static let noIdentity: Int64 = -1

    public init(root: String, output: String = "") {
        self.root = root
        self.output = output
    }

    public struct Report {
        public let embedded: Int
        public let failed: [(path: String, reason: String)]
        public let seconds: Double
        public var imagesPerSecond: Double { seconds > 0 ? Double(embedded + failed.count) / seconds : 0 }
    }

    public func run(embedder: Embedder, log: (String) -> Void = { print($0) }) throws -> Report {
        let (file, report) = try embeddings(embedder: embedder, log: log)
        try file.write(to: output)
        return report
    }

    /// The embeddings of the folder's images, not written anywhere.
    public func embeddings(embedder: Embedder, log: (String) -> Void = { print($0) }) throws
        -> (file: EmbeddingFile, report: Report)
    {
        var identities = try ImageFolder.scan(root: root)
        var items = identities.enumerated().flatMap { label, identity in
            identity.imagePaths.map { (path: $0, label: Int64(label)) }
        }
        if items.isEmpty && acceptsFlatFolder {
            identities = []
            items = try ImageFolder.imageNames(in: root).map { (path: $0, label: EmbedJob.noIdentity) }
        }
        guard !items.isEmpty else {
            throw UserError(
                "\(root) holds no images in <identity>/<image> folders" + (acceptsFlatFolder ? " nor at its top level" : ""))
        }
        if shard != .all { items = items.enumerated().filter { shard.contains($0.offset) }.map(\.element) }
        log("embed: \(items.count) images of \(identities.count) identities from \(root)"
            + (shard == .all ? "" : " (shard \(shard))") + ", batch \(batchSize), \(Torch.threads) libtorch threads")

        var embedding = FileEmbedding()
        embedding.batchSize = batchSize
        embedding.decodeThreads = decodeThreads
        let result = try embedding.run(items.map { root + "/" + $0.path }, embedder: embedder, log: log)

        var embeddings = [Float]()
        var paths = [String]()
        var labels = [Int64]()
        for (item, row) in zip(items, result.rows) {
            guard let row else { continue }
            embeddings += row[0]
            paths.append(item.path)
            labels.append(item.label)
        }
        let failed = result.failures.map { (path: items[$0.index].path, reason: $0.reason) }
        let description = embedder.description
        let file = EmbeddingFile(
            embeddings: embeddings, dimension: description.embeddingSize, paths: paths, labels: labels,
            labelNames: identities.map(\.name), failedPaths: failed.map(\.path), failedReasons: failed.map(\.reason),
            model: description.name, preprocessing: description.preprocessing.rawValue,
            imageSize: description.inputSize, root: root, precision: embedder.precision)
        return (file, Report(embedded: paths.count, failed: failed, seconds: result.seconds))
    }
}
