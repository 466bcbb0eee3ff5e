import Classifier
import Foundation
import Gallery
import Support
import TestSupport
import XCTest

enum ClassifierFixtures {
    /// A fixed synthetic set: `classes` clusters of unit vectors in `dimension` dimensions, `perClass` each,
    /// from a 64-bit LCG (Knuth's MMIX constants), so the reference sees exactly the same numbers.
    static func clusters(classes: Int, perClass: Int, dimension: Int, spread: Float = 0.6, seed: UInt64 = 13) -> (vectors: [[Float]], labels: [Int32]) {
        var state = seed
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        let centres = (0..<classes).map { _ in (0..<dimension).map { _ in uniform() } }
        var vectors: [[Float]] = []
        var labels: [Int32] = []
        for i in 0..<(classes * perClass) {
            let c = i % classes
            let v = centres[c].map { $0 + spread * uniform() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            vectors.append(v.map { $0 / norm })
            labels.append(Int32(c))
        }
        return (vectors, labels)
    }

    static let fingerprint = ModelFingerprint(
        name: "test-model", embeddingSize: 8, imageSize: 160, preprocessing: "standardize",
        weightsSHA256: String(repeating: "ab", count: 32))
}
