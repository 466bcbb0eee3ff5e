import CSearchKernel
import XCTest

@testable import Recognition

/// The one-probe kernel against the textbook sum, for sizes that exercise its four-row blocks, the rows after
/// them and a dimension that is not a multiple of 16, split over two threads, and a hand-worked case.
final class DotProductsTests: XCTestCase {
    func testAgainstTheTextbookSum() {
        for (n, d) in [(1, 16), (5, 18), (8, 128), (7, 3), (0, 16)] {
            let rows = (0..<(n * d)).map { Float(($0 * 37) % 23) / 23 - 0.5 }
            let query = (0..<d).map { Float(($0 * 11) % 7) / 7 - 0.4 }
            let got = rows.withUnsafeBufferPointer { DotProducts.of($0, dimension: d, with: query) }
            XCTAssertEqual(got.count, n)
            for r in 0..<n {
                let expected = (0..<d).reduce(Float(0)) { $0 + rows[r * d + $1] * query[$1] }
                XCTAssertEqual(got[r], expected, accuracy: 1e-5, "n \(n) d \(d) row \(r)")
            }
        }
    }

    /// Each kernel this CPU can run (AVX-512, AVX2 + FMA, the baseline) against the textbook sum; at least the
    /// baseline runs, and a kernel the CPU lacks says so instead of faulting.
    func testEveryKernelTheCPUHas() {
        var ran: [sk_kernel] = []
        for kernel in [SK_AVX512, SK_AVX2, SK_BASELINE] {
            for (n, d) in [(1, 16), (5, 18), (9, 128), (7, 3)] {
                let rows = (0..<(n * d)).map { Float(($0 * 37) % 23) / 23 - 0.5 }
                let query = (0..<d).map { Float(($0 * 11) % 7) / 7 - 0.4 }
                var out = [Float](repeating: .nan, count: n)
                guard sk_dot_rows_with(kernel, rows, Int64(n), Int64(d), query, &out) == 0 else { break }
                for r in 0..<n {
                    let expected = (0..<d).reduce(Float(0)) { $0 + rows[r * d + $1] * query[$1] }
                    XCTAssertEqual(out[r], expected, accuracy: 1e-5, "kernel \(kernel.rawValue) n \(n) d \(d) row \(r)")
                }
                if (n, d) == (7, 3) { ran.append(kernel) }
            }
        }
        XCTAssertTrue(ran.contains(SK_BASELINE))
        print("DotProducts kernels run on this CPU: \(ran.map(\.rawValue)) (0 AVX-512, 1 AVX2, 2 baseline)")
    }

    /// Split over threads, every row's value is the one-thread value exactly (the same computation per row).
    func testThreadsSplitTheRowsWithoutChangingThem() {
        let (n, d) = (2 * DotProducts.rowsPerThread + 5, 16)
        let rows = (0..<(n * d)).map { Float(($0 * 37) % 23) / 23 - 0.5 }
        let query = (0..<d).map { Float(($0 * 11) % 7) / 7 - 0.4 }
        let one = rows.withUnsafeBufferPointer { DotProducts.of($0, dimension: d, with: query) }
        let two = rows.withUnsafeBufferPointer { DotProducts.of($0, dimension: d, with: query, threads: 2) }
        XCTAssertEqual(one, two)
        let r = n - 1
        XCTAssertEqual(two[r], (0..<d).reduce(Float(0)) { $0 + rows[r * d + $1] * query[$1] }, accuracy: 1e-5)
    }

    func testHandWorked() {
        // Rows (1, 2, 3) and (-1, 0, 2) with (2, 1, 1): 2 + 2 + 3 = 7 and -2 + 0 + 2 = 0.
        let got = [Float](arrayLiteral: 1, 2, 3, -1, 0, 2).withUnsafeBufferPointer { DotProducts.of($0, dimension: 3, with: [2, 1, 1]) }
        XCTAssertEqual(got, [7, 0])
    }
}
