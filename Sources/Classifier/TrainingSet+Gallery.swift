import Gallery
import Support

extension TrainingSet {
    /// Every face of a gallery, labelled with its identity (identities in sorted name order).
    public init(gallery: any GalleryStore) throws {
        let all = try gallery.allEmbeddings()
        let dimension = gallery.model.embeddingSize
        guard !all.faceIds.isEmpty else { throw UserError("\(gallery.location) holds no faces: enroll people first (facenet enroll)") }
        let named = all.identityIds.enumerated().map { i, identity in
            (name: all.names[identity] ?? "", vector: Array(all.vectors[i * dimension..<(i + 1) * dimension]))
        }
        do {
            try self.init(named: named)
        } catch let error as UserError {
            throw UserError("\(gallery.location): \(error.message)")
        }
    }
}
