import Foundation
import TestSupport
import TorchBridge
import XCTest


/// Two ranks as two threads of this process, each with its own ProcessGroup over loopback; every number
/// asserted is computed by hand from the ranks' inputs.
final class ProcessGroupTests: XCTestCase {
    // MARK: collectives

    func testAllGatherConcatenatesRowsInRankOrder() throws {
        try withTwoRanks { group in
            let row = try Tensor([Float(group.rank), Float(group.rank * 10)], shape: [1, 2])
            let all = try group.allGather(row)
            XCTAssertEqual(all.shape, [2, 2])
            XCTAssertEqual(try all.floats(), [0, 0, 1, 10])
        }
    }

    func testAllReduceSumsInPlace() throws {
        try withTwoRanks { group in
            let r = Float(group.rank + 1)
            let t = try Tensor([r, 2 * r, -r], shape: [3])
            try group.allReduceSum(t)
            XCTAssertEqual(try t.floats(), [3, 6, -3])  // (1 + 2) * [1, 2, -1]
        }
    }

    func testAsyncAllReduceIsDoneAfterWait() throws {
        try withTwoRanks { group in
            let r = Double(group.rank)
            let t = try Tensor([r, r + 0.5, 10 * r, 100], shape: [2, 2])
            let work = try group.allReduceSumAsync(t)
            try work.wait()
            XCTAssertEqual(try t.toArray(Double.self), [1, 2, 10, 200])  // rank 0 + rank 1
        }
    }

    func testBroadcastCopiesRankOnesTensor() throws {
        try withTwoRanks { group in
            let base = Float(group.rank * 5)
            let t = try Tensor([base + 1, base + 2], shape: [2])
            try group.broadcast(t, root: 1)
            XCTAssertEqual(try t.floats(), [6, 7])
        }
    }

    func testBarrierWaitsForTheLateRank() throws {
        try withTwoRanks { group in
            if group.rank == 1 { Thread.sleep(forTimeInterval: 0.4) }
            let start = Date()
            try group.barrier(timeout: 5)
            if group.rank == 0 { XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.3) }
        }
    }

    func testStoreSetGetAdd() throws {
        try withTwoRanks { group in
            try group.storeSet("heartbeat/\(group.rank)", [UInt8(group.rank), 42, 7])
            let other = 1 - group.rank
            XCTAssertEqual(try group.storeGet("heartbeat/\(other)"), [UInt8(other), 42, 7])  // waits for it
            try group.storeAdd("steps", group.rank + 1)
            try group.barrier(timeout: 5)
            XCTAssertEqual(try group.storeAdd("steps", 0), 3)  // 1 + 2
        }
    }

    // MARK: failures

    /// Rank 1 joins the group but never the collective: rank 0's all-reduce fails after the group's
    /// timeout (2 s) with Gloo's message, instead of hanging.
    func testCollectiveTimesOutWhenAPeerNeverJoins() throws {
        let rank0Done = DispatchSemaphore(value: 0)
        try withTwoRanks(timeout: 2) { group in
            if group.rank == 1 {
                rank0Done.wait()
                return
            }
            defer { rank0Done.signal() }
            let start = Date()
            XCTAssertThrowsError(try group.allReduceSum(try Tensor([Float(1)]))) { error in
                XCTAssertTrue("\(error)".contains("Timed out"), "\(error)")
            }
            let elapsed = Date().timeIntervalSince(start)
            XCTAssertGreaterThan(elapsed, 1.5)
            XCTAssertLessThan(elapsed, 5)
        }
    }

    /// A barrier's own timeout, shorter than the group's.
    func testBarrierTimesOutOnItsOwnTimeout() throws {
        let rank0Done = DispatchSemaphore(value: 0)
        try withTwoRanks(timeout: 20) { group in
            if group.rank == 1 {
                rank0Done.wait()
                return
            }
            defer { rank0Done.signal() }
            let start = Date()
            XCTAssertThrowsError(try group.barrier(timeout: 1)) { error in
                XCTAssertTrue("\(error)".contains("timed out"), "\(error)")
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 4)
        }
    }

    /// Rank 1 leaves (its group is freed) around rank 0's collective: rank 0 gets Gloo's "Connection closed
    /// by peer" (or "Connection reset by peer", when the close finds unread data) long before the group's
    /// timeout.
    func testCollectiveFailsWhenAPeerLeaves() throws {
        let port = try LoopbackPort.free()
        let start = Date()
        try onTwoThreads { rank in
            let group = try ProcessGroup(rank: rank, worldSize: 2, masterHost: "127.0.0.1", masterPort: port, timeout: 30)
            if rank == 1 {
                try group.barrier(timeout: 10)
                return  // frees the group: its connections close
            }
            try group.barrier(timeout: 10)
            XCTAssertThrowsError(try group.allReduceSum(try Tensor([Float(1)]))) { error in
                XCTAssertTrue("\(error)".contains("by peer"), "\(error)")
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testBadArgumentsThrow() throws {
        XCTAssertThrowsError(try ProcessGroup(rank: 2, worldSize: 2, masterHost: "127.0.0.1", masterPort: 1234))
        XCTAssertThrowsError(try ProcessGroup(rank: 0, worldSize: 1, masterHost: "127.0.0.1", masterPort: 0))
    }

    // MARK: gradient buckets

    func testBucketsWithoutOverlapAverageGradients() throws {
        for cap in [0, 16, GradientBuckets.defaultCapBytes] { try checkBuckets(capBytes: cap, overlap: false) }
    }

    func testBucketsWithOverlapAverageGradients() throws {
        for cap in [0, 16, GradientBuckets.defaultCapBytes] { try checkBuckets(capBytes: cap, overlap: true) }
    }

    /// After `remove()`, an overlapping bucketer works as one without overlap.
    func testRemovedHooksFallBackToReadingGrad() throws {
        try withTwoRanks { group in
            let w = try Tensor([Float(1), 2], shape: [2]).requiringGrad()
            let buckets = try GradientBuckets(parameters: [w], group: group, overlap: true)
            try buckets.remove()
            let x = try Tensor([Float(group.rank + 1), 10])  // d/dw sum(w * x) = x
            try (w * x).sum().backward()
            try buckets.finish()
            XCTAssertEqual(try w.grad()?.floats(), [1.5, 10])
        }
    }

    /// A tiny model of four parameters w0 [3], w1 [2, 2], w2 [5], w3 [2] (12, 16, 20 and 8 bytes); on rank r
    /// (s = r + 1): loss = sum(w0 * s * [1, 2, 3]) + 10 s sum(w1) + s sum(w2^2) + (r == 0 ? 4 sum(w3) : 0).
    /// Gradients: s [1, 2, 3]; 10 s; 2 s w2; 4 on rank 0 and none on rank 1 (w3 unused there).
    /// Means over s = 1, 2: [1.5, 3, 4.5]; 15; 3 w2 = [3, 6, 9, 12, 15]; (4 + 0) / 2 = 2.
    func checkBuckets(capBytes: Int, overlap: Bool) throws {
        try withTwoRanks { group in
            let w0 = try Tensor([Float(1), 2, 3]).requiringGrad()
            let w1 = try Tensor.ones([2, 2]).requiringGrad()
            let w2 = try Tensor([Float(1), 2, 3, 4, 5]).requiringGrad()
            let w3 = try Tensor([Float(7), 7]).requiringGrad()
            let params = [w0, w1, w2, w3]
            let buckets = try GradientBuckets(parameters: params, group: group, capBytes: capBytes, overlap: overlap)
            let context = "cap \(capBytes), overlap \(overlap), rank \(group.rank)"

            // Reverse order: w3, w2, w1, w0. Cap 16: [w3 8 B + w2 20 B], [w1 16 B], [w0].
            let expectedBuckets: [Int] =
                switch capBytes {
                case 0: [3, 2, 1, 0]
                case 16: [2, 1, 0, 0]
                default: [0, 0, 0, 0]
                }
            XCTAssertEqual(buckets.bucketCount, expectedBuckets.max()! + 1, context)
            XCTAssertEqual(try (0..<4).map { try buckets.bucket(ofParameter: $0) }, expectedBuckets, context)

            let s = Float(group.rank + 1)
            // Step 1 keeps step 0's .grad (the mean, equal on both ranks): DDP adds this step's mean to it.
            // Step 2 zeroes the gradients first.
            for (step, factor) in [(0, Float(1)), (1, 2), (2, 1)] {
                if step == 2 { for p in params { try p.zeroGrad() } }
                var loss = try (w0 * Tensor([s, 2 * s, 3 * s])).sum() + w1.sum() * Double(10 * s)
                loss = try loss + w2.square().sum() * Double(s)
                if group.rank == 0 { loss = try loss + w3.sum() * 4.0 }
                try loss.backward()
                try buckets.finish()
                let c = "\(context), step \(step)"
                XCTAssertEqual(try w0.grad()?.floats(), [1.5, 3, 4.5].map { $0 * factor }, c)
                XCTAssertEqual(try w1.grad()?.floats(), [15, 15, 15, 15].map { $0 * factor }, c)
                XCTAssertEqual(try w1.grad()?.shape, [2, 2], c)
                XCTAssertEqual(try w2.grad()?.floats(), [3, 6, 9, 12, 15].map { $0 * factor }, c)
                XCTAssertEqual(try w3.grad()?.floats(), [2, 2].map { $0 * factor }, c)
                XCTAssertGreaterThanOrEqual(buckets.lastWaitSeconds, 0, c)
            }
        }
    }

    func testBucketsRejectParametersWithoutGrad() throws {
        try withTwoRanks { group in
            XCTAssertThrowsError(try GradientBuckets(parameters: [try Tensor([Float(1)])], group: group, overlap: false))
        }
    }

    // MARK: helpers

    /// Runs `body` as ranks 0 and 1 of a new two-rank group on a free loopback port, one thread each.
    func withTwoRanks(timeout: Double = 10, _ body: @escaping (ProcessGroup) throws -> Void) throws {
        let port = try LoopbackPort.free()
        try onTwoThreads { rank in
            let group = try ProcessGroup(
                rank: rank, worldSize: 2, masterHost: "127.0.0.1", masterPort: port, timeout: timeout)
            try body(group)
        }
    }

    /// Runs `body(0)` and `body(1)` on two threads at once; rethrows the first rank's error.
    func onTwoThreads(_ body: @escaping (Int) throws -> Void) throws {
        let done = DispatchGroup()
        let errors = RankErrors()
        for rank in 0..<2 {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                do { try body(rank) } catch { errors.record(rank, error) }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        if let (rank, error) = errors.first { throw TorchError(message: "rank \(rank): \(error)") }
    }

    /// A port the kernel reports free on 127.0.0.1 (bound to port 0, read back, closed).
}

/// The ranks' errors, recorded from their threads.
private final class RankErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Int: Error] = [:]

    func record(_ rank: Int, _ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        errors[rank] = error
    }

    var first: (Int, Error)? {
        lock.lock()
        defer { lock.unlock() }
        return errors.min { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
