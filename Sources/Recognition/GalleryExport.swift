import Embedding
import Foundation
import Gallery

/// `facenet gallery export --h5`: the gallery's embeddings in `facenet embed`'s HDF5 layout (docs/formats.md),
/// for h5py / NumPy users: `paths` are the source photos, `labels` index `label_names` (the identities).
public enum GalleryExport {
    public static func writeH5(_ gallery: any GalleryStore, to path: String) throws -> Int {
        var embeddings: [Float] = []
        var paths: [String] = []
        var labels: [Int64] = []
        let identities = try gallery.identities().map(\.identity)
        for (label, identity) in identities.enumerated() {
            for face in try gallery.faces(of: identity) {
                guard let values = EmbeddingBlob.decode(face.embedding, dimension: gallery.model.embeddingSize) else { continue }
                embeddings += values
                paths.append(face.sourcePath)
                labels.append(Int64(label))
            }
        }
        let model = gallery.model
        try EmbeddingFile(
            embeddings: embeddings, dimension: model.embeddingSize, paths: paths, labels: labels,
            labelNames: identities.map(\.name), failedPaths: [], failedReasons: [], model: model.name,
            preprocessing: model.preprocessing, imageSize: model.imageSize, root: gallery.location
        ).write(to: path)
        return paths.count
    }
}
