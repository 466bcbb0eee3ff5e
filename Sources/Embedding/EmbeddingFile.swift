import Foundation
import HDF5
import Support
import TorchBridge

/// The embeddings of a dataset as `facenet embed` writes them (HDF5, readable by h5py as is;
/// docs/formats.md lists every dataset):
/// - `embeddings` float32 [N, D], `paths` str [N] (relative to the dataset root), `labels` int64 [N],
///   `label_names` str [identities];
/// - `failed_paths` / `failed_reasons` str [F] for the images that were skipped;
/// - attributes `model`, `preprocessing`, `embedding_size`, `image_size`, `root`, `created` (ISO 8601), and
///   `precision` (`fp32` or `bf16`) when the writer computed the embeddings.
public struct EmbeddingFile: Sendable {
    public var embeddings: [Float]
    public var dimension: Int
    public var paths: [String]
    public var labels: [Int64]
    public var labelNames: [String]
    public var failedPaths: [String]
    public var failedReasons: [String]
    public var model: String
    public var preprocessing: String
    public var imageSize: Int
    public var root: String
    /// The forward pass's arithmetic; nil when unknown (files from a gallery, or written before the attribute
    /// existed).
    public var precision: Precision?

    public init(
        embeddings: [Float], dimension: Int, paths: [String], labels: [Int64], labelNames: [String],
        failedPaths: [String], failedReasons: [String], model: String, preprocessing: String, imageSize: Int,
        root: String, precision: Precision? = nil
    ) {
        self.embeddings = embeddings
        self.dimension = dimension
        self.paths = paths
        self.labels = labels
        self.labelNames = labelNames
        self.failedPaths = failedPaths
        self.failedReasons = failedReasons
        self.model = model
        self.preprocessing = preprocessing
        self.imageSize = imageSize
        self.root = root
        self.precision = precision
    }

    public var count: Int { paths.count }

    public func embedding(_ i: Int) -> ArraySlice<Float> { embeddings[(i * dimension)..<((i + 1) * dimension)] }

    /// Writes through a temporary file renamed into place: an interrupted run never leaves a half file.
    public func write(to path: String) throws {
        try AtomicFile.produce(path) { temporary in
            let file = try HDF5File(creating: temporary)
            try file.createDataset("embeddings", values: embeddings, shape: [count, dimension])
            try file.createDataset("paths", strings: paths)
            try file.createDataset("labels", values: labels)
            try file.createDataset("label_names", strings: labelNames)
            try file.createDataset("failed_paths", strings: failedPaths)
            try file.createDataset("failed_reasons", strings: failedReasons)
            try file.writeAttribute("model", string: model)
            try file.writeAttribute("preprocessing", string: preprocessing)
            try file.writeAttribute("embedding_size", value: Int64(dimension))
            try file.writeAttribute("image_size", value: Int64(imageSize))
            try file.writeAttribute("root", string: root)
            if let precision { try file.writeAttribute("precision", string: precision.rawValue) }
            try file.writeAttribute("created", string: ISO8601DateFormatter().string(from: Date()))
            try file.close()
        }
    }

    /// The `precision` attribute, nil when absent; a value that names no `Precision` is an error naming the file.
    static func readPrecision(_ file: HDF5File, path: String) throws -> Precision? {
        guard try file.hasAttribute("precision") else { return nil }
        let text = try file.readStringAttribute("precision")
        guard let value = Precision(rawValue: text) else {
            throw UserError("\(path): attribute 'precision' is '\(text)', expected \(Precision.allowedText)")
        }
        return value
    }

    public static func read(from path: String) throws -> EmbeddingFile {
        let file = try HDF5File(readingFrom: path)
        let shape = try file.dataset("embeddings").shape()
        guard shape.count == 2 else { throw UserError("\(path): 'embeddings' has shape \(shape), expected [N, D]") }
        return EmbeddingFile(
            embeddings: try file.dataset("embeddings").readFloats(), dimension: shape[1],
            paths: try file.dataset("paths").readStrings(), labels: try file.dataset("labels").readInt64s(),
            labelNames: try file.dataset("label_names").readStrings(),
            failedPaths: try file.dataset("failed_paths").readStrings(),
            failedReasons: try file.dataset("failed_reasons").readStrings(),
            model: try file.readStringAttribute("model"), preprocessing: try file.readStringAttribute("preprocessing"),
            imageSize: Int(try file.readScalarAttribute("image_size", as: Int64.self)),
            root: try file.readStringAttribute("root"),
            precision: try readPrecision(file, path: path))
    }
}
