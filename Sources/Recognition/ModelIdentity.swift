import Embedding
import Foundation
import Gallery
import Support

extension ModelFingerprint {
    /// The fingerprint of the model an embedder runs, read from its weights file.
    public init(embedder: Embedder, weightsFile: String) throws {
        let d = embedder.description
        self.init(
            name: d.name, embeddingSize: d.embeddingSize, imageSize: d.inputSize, preprocessing: d.preprocessing.rawValue,
            weightsSHA256: try FileDigest.sha256(file: weightsFile))
    }

    /// Refuses a gallery written by another model: its embeddings live in another space.
    public func checkMatches(_ gallery: any GalleryStore) throws { try checkMatches(gallery.model, of: gallery.location) }

    /// The same for the model `stored` with the gallery at `location` (before the gallery is opened to write).
    public func checkMatches(_ stored: ModelFingerprint, of location: String) throws {
        guard stored != self else { return }
        func describe(_ m: ModelFingerprint) -> String {
            "\(m.name), \(m.embeddingSize)-D, \(m.imageSize) px \(m.preprocessing), weights sha256 \(m.weightsSHA256.prefix(12))"
        }
        throw UserError(
            "\(location) was written by another model (\(describe(stored))); this model is \(describe(self)): "
                + "enroll into a new gallery, or pass the gallery's model with --model")
    }
}
