import CSearchKernel
import Dispatch

/// Every row of a row-major [n, d] matrix dotted with one vector: the one-probe search. Written out because the
/// matrix-vector product of Debian's OpenBLAS 0.3.21 (what libtorch's `mv` calls) takes 10.7 ms for 100,000 x
/// 128 floats on one thread on the 2026-12-02 Xeon, three times NumPy's bundled OpenBLAS 0.3.31; the product is
/// bound by reading the matrix, which the kernel (`sk_dot_rows`, in C for AVX-512) does once, in order.
/// With `threads` > 1 a large matrix is split into that many row ranges computed at once (each row's sum is the
/// same computation whichever range holds it, so the result does not depend on the split).
enum DotProducts {
    /// Rows per range below which one thread reads the matrix alone (a range must outweigh waking a thread).
    static let rowsPerThread = 131_072

    static func of(_ rows: UnsafeBufferPointer<Float>, dimension d: Int, with query: [Float], threads: Int = 1) -> [Float] {
        precondition(query.count == d && rows.count % max(d, 1) == 0)
        let n = d == 0 ? 0 : rows.count / d
        guard n > 0, let base = rows.baseAddress else { return [Float](repeating: 0, count: n) }
        let parts = max(1, min(threads, n / rowsPerThread))
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            query.withUnsafeBufferPointer { q in
                guard let output = out.baseAddress else { return }
                if parts == 1 {
                    sk_dot_rows(base, Int64(n), Int64(d), q.baseAddress, output)
                } else {
                    DispatchQueue.concurrentPerform(iterations: parts) { p in
                        let (lo, hi) = (n * p / parts, n * (p + 1) / parts)
                        sk_dot_rows(base + lo * d, Int64(hi - lo), Int64(d), q.baseAddress, output + lo)
                    }
                }
            }
            initialized = n
        }
    }
}
