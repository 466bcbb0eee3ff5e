import Foundation
import TestSupport
import TorchBridge
import XCTest

/// The process-level runtime settings: the caching CPU allocator, per-thread libtorch threads and the
/// operator profiler.
final class RuntimeTests: XCTestCase {
    let defaultLimit = Int(ProcessInfo.processInfo.physicalMemory / 4)

    override func tearDown() {
        try? Torch.useCachingAllocator(limit: defaultLimit)
        super.tearDown()
    }

    /// A float tensor of `count` values 0, 1, 2, ... built from Swift memory (the copy goes through the allocator).
    func ramp(_ count: Int) throws -> Tensor { try Tensor((0..<count).map { Float($0 % 1000) }) }

    func testFreedBlocksServeTheNextTensorOfTheirSizeClassWithCorrectValues() throws {
        try Torch.useCachingAllocator(limit: 1 << 30)
        try Torch.releaseCachedMemory()
        // 1,000,000 floats = 4,000,000 bytes and 1,025,000 floats = 4,100,000 bytes: both in the class
        // of 4,194,304 bytes (8 classes per power of two above 2 MiB: steps of 256 KiB).
        var first: Tensor? = try ramp(1_000_000)
        XCTAssertEqual(try first!.floats(), (0..<1_000_000).map { Float($0 % 1000) })
        first = nil
        let held = Torch.cachingAllocatorStats
        XCTAssertEqual(held.cachedBytes, 4_194_304)
        let second = try ramp(1_025_000)
        let after = Torch.cachingAllocatorStats
        XCTAssertEqual(after.hits, held.hits + 1)
        XCTAssertEqual(after.cachedBytes, 0)
        // The recycled block holds the new values, not the old ones.
        XCTAssertEqual(try second.floats(), (0..<1_025_000).map { Float($0 % 1000) })
    }

    func testSmallBlocksAreLeftToMalloc() throws {
        try Torch.releaseCachedMemory()
        let before = Torch.cachingAllocatorStats
        for _ in 0..<10 { _ = try ramp(1000) }  // 4 kB each, below the 256 kB threshold
        let after = Torch.cachingAllocatorStats
        XCTAssertEqual(after.hits, before.hits)
        XCTAssertEqual(after.misses, before.misses)
        XCTAssertEqual(after.cachedBytes, 0)
    }

    func testTheLimitCapsWhatIsKeptAndReleaseFreesIt() throws {
        try Torch.useCachingAllocator(limit: 0)
        try Torch.releaseCachedMemory()
        _ = try ramp(1_000_000)
        XCTAssertEqual(Torch.cachingAllocatorStats.cachedBytes, 0)
        // Room for one 4 MiB block, not two.
        try Torch.useCachingAllocator(limit: 6 << 20)
        do {
            let a = try ramp(1_000_000)
            let b = try ramp(1_000_000)
            XCTAssertEqual(a.shape, b.shape)
        }
        XCTAssertEqual(Torch.cachingAllocatorStats.cachedBytes, 4_194_304)
        try Torch.releaseCachedMemory()
        XCTAssertEqual(Torch.cachingAllocatorStats.cachedBytes, 0)
    }

    func testTheCacheLimitComesFromTheEnvironment() throws {
        XCTAssertEqual(try Torch.cacheLimit([:]), defaultLimit)
        XCTAssertEqual(try Torch.cacheLimit(["FACENET_CPU_CACHE_MB": "0"]), 0)
        XCTAssertEqual(try Torch.cacheLimit(["FACENET_CPU_CACHE_MB": "512"]), 512 << 20)
        for bad in ["-1", "lots", "1.5"] {
            XCTAssertThrowsError(try Torch.cacheLimit(["FACENET_CPU_CACHE_MB": bad])) { error in
                XCTAssertTrue("\(error)".contains("FACENET_CPU_CACHE_MB"), "\(error)")
                XCTAssertTrue("\(error)".contains(bad), "\(error)")
            }
        }
    }

    /// 10^14 floats (400 TB, beyond the 128 TB of user address space, so refused under any overcommit
    /// policy) through the caching allocator: a thrown TorchError, not an abort; the next tensor works.
    func testAnAllocationTheAllocatorRefusesIsAThrownError() throws {
        try Torch.useCachingAllocator(limit: 1 << 30)
        XCTAssertThrowsError(try Tensor.zeros([100_000_000_000_000])) { error in
            XCTAssertTrue(error is TorchError, "\(error)")
            XCTAssertEqual(
                "\(error)", "libtorch: CPU allocator: cannot allocate 400000000000000 bytes (Cannot allocate memory)")
        }
        XCTAssertEqual(try Tensor.zeros([3]).floats(), [0, 0, 0])
    }

    func testThreadsOfThisThreadLeaveOtherThreadsAlone() throws {
        try Torch.setThreads(2)
        final class Seen: @unchecked Sendable { var threads = 0; var maximum = -1.0 }
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            Torch.setThreadsOfThisThread(1)
            seen.threads = Torch.threads
            seen.maximum = (try? Tensor((0..<200_000).map(Float.init)).max(dims: []).item()) ?? -1
            done.signal()
        }
        thread.start()
        done.wait()
        XCTAssertEqual(seen.threads, 1)
        XCTAssertEqual(seen.maximum, 199_999)
        XCTAssertEqual(Torch.threads, 2)
    }

    func testTheProfilerCountsEachOperatorCall() throws {
        let a = try Tensor.ones([64, 64])
        try Torch.startProfiler()
        for _ in 0..<3 { _ = try a.matmul(a) }
        for _ in 0..<5 { _ = try a + a }
        let table = try Torch.stopProfiler()
        XCTAssertTrue(table.hasPrefix("operator"), table)
        XCTAssertEqual(ProfileTable.calls(in: table, "aten::mm"), 3, table)
        XCTAssertEqual(ProfileTable.calls(in: table, "aten::add"), 5, table)
        // Nothing is recorded between a stop and the next start.
        _ = try a.matmul(a)
        try Torch.startProfiler()
        XCTAssertNil(ProfileTable.calls(in: try Torch.stopProfiler(), "aten::mm"))
    }

}
