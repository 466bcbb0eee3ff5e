/// Rows of `dimension` floats divided by their length (at least 1e-12), as `GalleryIndex` normalises its rows
/// in libtorch: for the approximate index, the search benchmark's vectors and a single exact-search probe,
/// where five libtorch calls would cost more than the arithmetic.
enum UnitRows {
    static func normalized(_ vectors: [Float], dimension d: Int) -> [Float] {
        var out = vectors
        for start in stride(from: 0, to: out.count, by: d) {
            var sum: Float = 0
            for j in start..<start + d { sum += out[j] * out[j] }
            let scale = 1 / max(sum.squareRoot(), 1e-12)
            for j in start..<start + d { out[j] *= scale }
        }
        return out
    }
}
