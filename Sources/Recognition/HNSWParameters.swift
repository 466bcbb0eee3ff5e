import Support

/// The HNSW graph's parameters (Malkov & Yashunin 2018, "Efficient and robust approximate nearest neighbor
/// search using Hierarchical Navigable Small World graphs"), with their bounds stated and checked here once.
public struct HNSWParameters: Equatable, Sendable {
    /// Links per node (layer 0 holds 2M). FAISS's IndexHNSWFlat default is 32; the paper recommends 5...48.
    public var m = 32
    /// The build's beam width: FAISS's default 40.
    public var efConstruction = 40
    /// The search's beam width (FAISS's default 16). 64 measured on LFW faces and clustered sets
    /// (docs/recognition.md, "Approximate index").
    public var efSearch = 64

    public static let mRange = 2...256
    public static let efRange = 1...65_536

    public init(m: Int = 32, efConstruction: Int = 40, efSearch: Int = 64) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }

    /// Throws a `UserError` naming the option if a value is outside its bounds.
    public func validate() throws {
        try OptionRange.check("--hnsw-m", m, in: Self.mRange)
        try OptionRange.check("--ef-search", efSearch, in: Self.efRange)
        try OptionRange.check("efConstruction", efConstruction, in: Self.efRange)
    }
}
