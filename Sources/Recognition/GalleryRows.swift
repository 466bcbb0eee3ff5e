import Gallery

/// A gallery's faces as the indexes take them: identity names sorted, each face's row with its identity's
/// position in `names` (identities without faces are left out), embeddings as [faces * dimension] floats.
public struct GalleryRows: Sendable {
    public let dimension: Int
    public let names: [String]
    public let faceIds: [Int64]
    public let identityOfRow: [Int]
    public let vectors: [Float]

    public init(dimension: Int, names: [String], faceIds: [Int64], identityOfRow: [Int], vectors: [Float]) {
        precondition(vectors.count == faceIds.count * dimension && identityOfRow.count == faceIds.count)
        (self.dimension, self.names, self.faceIds, self.identityOfRow, self.vectors) =
            (dimension, names, faceIds, identityOfRow, vectors)
    }

    public init(_ gallery: any GalleryStore) throws {
        self.init(try gallery.allEmbeddings(), dimension: gallery.model.embeddingSize)
    }

    public init(_ all: GalleryEmbeddings, dimension: Int) {
        let used = Set(all.identityIds)
        let ids = all.names.keys.filter { used.contains($0) }.sorted { all.names[$0]! < all.names[$1]! }
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        self.init(
            dimension: dimension, names: ids.map { all.names[$0]! }, faceIds: all.faceIds,
            identityOfRow: all.identityIds.map { position[$0]! }, vectors: all.vectors)
    }
}

extension GalleryIndex {
    public convenience init(_ rows: GalleryRows) throws {
        try self.init(
            dimension: rows.dimension, names: rows.names, faceIds: rows.faceIds, identityOfRow: rows.identityOfRow,
            vectors: rows.vectors)
    }
}
