import Support
import XCTest

final class PrefetcherTests: XCTestCase {
    func testItemsArriveInOrderAndProductionStaysAhead() {
        let prefetcher = Prefetcher<Int>(count: 50, depth: 3) { i in
            usleep(UInt32((50 - i) * 50))  // later items finish faster: order must still hold
            return i * i
        }
        var seen: [Int] = []
        while let item = prefetcher.nextItem() { seen.append(item) }
        XCTAssertEqual(seen, (0..<50).map { $0 * $0 })
    }

    func testDroppingThePrefetcherEarlyIsSafe() {
        // Empty, and abandoned part-way: the producing thread must not touch freed memory.
        for count in [0, 1, 100] {
            var prefetcher: Prefetcher<[Int]>? = Prefetcher(count: count, depth: 2) { i in
                usleep(200)
                return [i]
            }
            _ = prefetcher?.nextItem()
            prefetcher = nil
            XCTAssertNil(prefetcher)
        }
        usleep(20_000)  // let abandoned producers finish their item and exit
    }

    func testSetUpRunsOnceOnTheProducingThreadBeforeTheFirstItem() {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var events: [String] = []
            func add(_ e: String) { lock.lock(); events.append(e); lock.unlock() }
        }
        let log = Log()
        let prefetcher = Prefetcher<Int>(count: 5, depth: 2, setUp: { log.add("setUp \(pthread_self())") }) { i in
            log.add("item \(pthread_self())")
            return i
        }
        var seen: [Int] = []
        while let item = prefetcher.nextItem() { seen.append(item) }
        XCTAssertEqual(seen, [0, 1, 2, 3, 4])
        XCTAssertEqual(log.events.count, 6)
        let setUpThread = log.events[0].split(separator: " ")[1]
        XCTAssertTrue(log.events[0].hasPrefix("setUp"))
        XCTAssertEqual(Set(log.events.dropFirst().map { $0.split(separator: " ")[1] }), [setUpThread])
        XCTAssertNotEqual(String(setUpThread), "\(pthread_self())")  // not the consumer's thread
    }
}
