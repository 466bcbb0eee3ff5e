/// Search of a gallery's faces: for each probe, the `k` nearest identities by a rule, nearest first.
/// `GalleryIndex` (exact) and `ApproximateIndex` (HNSW) adopt it; `--index` chooses (`SearchIndexKind`).
public protocol FaceSearch: AnyObject, Sendable {
    var faceCount: Int { get }
    var identityCount: Int { get }
    /// For each probe (unit vectors of the gallery's dimension), the `k` nearest identities by `rule`.
    func search(_ probes: [[Float]], rule: MatchRule, k: Int) throws -> [[Candidate]]
}

extension GalleryIndex: FaceSearch {}

/// Which index searches the gallery.
public enum SearchIndexKind: String, CaseIterable, Codable, Sendable {
    /// Every face compared with every probe (one matrix product): `GalleryIndex`.
    case exact
    /// A navigable small-world graph (FAISS's IndexHNSWFlat): `ApproximateIndex`.
    case hnsw
}
