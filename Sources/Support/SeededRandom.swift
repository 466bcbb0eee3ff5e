/// The project's one seeded random generator: SplitMix64 (Steele, Lea and Flood 2014), a 64-bit state that is its own
/// complete, `Codable` description. Every stream is derived from (seed, purpose, indices) with `mix`, so a
/// batch or an image gets the same numbers whatever thread makes it and whenever: nothing is shared.
/// Identical on every platform (no Foundation or system generator is involved).
public struct SeededRandom: RandomNumberGenerator, Codable, Equatable, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for the stream named by `values` (e.g. seed, batch index, position in the batch).
    public init(mixing values: UInt64...) {
        state = SeededRandom.mix(values)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.finalize(state)
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift with rejection: no modulo bias).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "random bound \(bound) is not positive")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// SplitMix64's output function: a bijective avalanche of 64 bits.
    public static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Folds several numbers into one well-mixed 64-bit value (order matters).
    public static func mix(_ values: [UInt64]) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for v in values { h = finalize(h ^ finalize(v &+ 0x9E37_79B9_7F4A_7C15)) }
        return h
    }

    /// FNV-1a over the UTF-8 bytes: a stable hash of a name (Swift's `Hasher` is seeded per process).
    public static func hash(_ string: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in string.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
