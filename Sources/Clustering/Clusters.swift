/// A clustering of `count` items in canonical form: clusters numbered 0, 1, ... from the largest down
/// (equal sizes: the one whose first item comes first), `noiseLabel` for items in no cluster (DBSCAN noise).
/// Two clusterings that are the same partition have the same canonical labels, whatever their raw labels.
public struct Clusters: Equatable, Sendable {
    public static let noiseLabel = -1

    /// Per item: its cluster, or `noiseLabel`.
    public let labels: [Int]
    /// Per cluster: its items, in item order.
    public let members: [[Int]]

    /// Canonical form of raw labels (any integers; `noiseLabel` stays noise).
    public init(rawLabels: [Int]) {
        var groups: [Int: [Int]] = [:]
        for (item, label) in rawLabels.enumerated() where label != Clusters.noiseLabel {
            groups[label, default: []].append(item)
        }
        let ordered = groups.values.sorted { a, b in a.count != b.count ? a.count > b.count : a[0] < b[0] }
        var labels = [Int](repeating: Clusters.noiseLabel, count: rawLabels.count)
        for (cluster, items) in ordered.enumerated() {
            for item in items { labels[item] = cluster }
        }
        self.labels = labels
        self.members = ordered
    }

    public var count: Int { members.count }
    public var noise: [Int] { labels.indices.filter { labels[$0] == Clusters.noiseLabel } }
}
