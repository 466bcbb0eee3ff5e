import Foundation
import TorchBridge
import TripletMining
import Support

/// Deterministic test data: L2-normalised embeddings clustered by class.
enum Fixtures {
    /// `classes x perClass` rows of dimension `dimension`, sorted by class (labels 0, 0, ..., 1, 1, ...):
    /// normalize(center_c + spread * noise) with unit Gaussian centers and noise from SeededRandom(seed).
    static func clustered(classes: Int, perClass: Int, dimension: Int, spread: Double, seed: UInt64)
        -> (embeddings: [Double], labels: [Int])
    {
        var generator = SeededRandom(seed: seed)
        func gaussian() -> Double {
            // Box-Muller on two uniforms in (0, 1].
            let u = Double(generator.next() >> 11 + 1) / Double(1 << 53)
            let v = Double(generator.next() >> 11) / Double(1 << 53)
            return (-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        var embeddings: [Double] = []
        var labels: [Int] = []
        for c in 0..<classes {
            let center = normalized((0..<dimension).map { _ in gaussian() })
            for _ in 0..<perClass {
                embeddings += normalized(center.map { $0 + spread * gaussian() })
                labels.append(c)
            }
        }
        return (embeddings, labels)
    }

    static func normalized(_ v: [Double]) -> [Double] {
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return v.map { $0 / norm }
    }

    /// Every valid (a, p, n): a != p same label, n another label, in (a, p, n) increasing order.
    static func allTriplets(labels: [Int], where keep: (Triplet) -> Bool = { _ in true }) -> [Triplet] {
        var out: [Triplet] = []
        for a in labels.indices {
            for p in labels.indices where p != a && labels[p] == labels[a] {
                for n in labels.indices where labels[n] != labels[a] {
                    let t = Triplet(anchor: a, positive: p, negative: n)
                    if keep(t) { out.append(t) }
                }
            }
        }
        return out
    }

    /// Writes `object` as JSON to `path`.
    static func writeJSON(_ object: Any, to path: String) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    static func parseJSON(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }

    static func triplets(_ any: Any?) -> [Triplet]? {
        guard let rows = any as? [[Int]] else { return nil }
        return rows.map { Triplet(anchor: $0[0], positive: $0[1], negative: $0[2]) }
    }
}
