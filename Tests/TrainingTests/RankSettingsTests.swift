import XCTest

import TorchBridge

@testable import Training

/// torchrun's environment and the command line's options, and how a batch's rows are shared out.
///
/// | rows | ranks | rank 0 | rank 1 | rank 2 |
/// |------|-------|--------|--------|--------|
/// | 7    | 3     | 0..<3  | 3..<5  | 5..<7  |
/// | 6    | 2     | 0..<3  | 3..<6  |        |
/// | 2    | 3     | 0..<1  | 1..<2  | 2..<2  |
final class RankSettingsTests: XCTestCase {
    func testTheEnvironmentAndTheOptionsOverIt() throws {
        let environment = ["RANK": "1", "WORLD_SIZE": "4", "LOCAL_RANK": "1", "MASTER_ADDR": "10.0.0.9", "MASTER_PORT": "29600"]
        let fromEnvironment = try XCTUnwrap(
            try RankSettings.resolve(rank: nil, worldSize: nil, master: nil, timeout: nil, interface: nil, environment: environment))
        XCTAssertEqual(fromEnvironment.rank, 1)
        XCTAssertEqual(fromEnvironment.worldSize, 4)
        XCTAssertEqual(fromEnvironment.masterHost, "10.0.0.9")
        XCTAssertEqual(fromEnvironment.masterPort, 29600)
        XCTAssertEqual(fromEnvironment.timeout, 60)
        let overridden = try XCTUnwrap(
            try RankSettings.resolve(rank: 3, worldSize: nil, master: "[::1]:1234", timeout: 5, interface: "veth0", environment: environment))
        XCTAssertEqual(overridden.rank, 3)
        XCTAssertEqual(overridden.masterHost, "::1")
        XCTAssertEqual(overridden.masterPort, 1234)
        XCTAssertEqual(overridden.timeout, 5)
        XCTAssertEqual(overridden.interface, "veth0")
        // No world size anywhere, or a world of one: one process.
        XCTAssertNil(try RankSettings.resolve(rank: nil, worldSize: nil, master: nil, timeout: nil, interface: nil, environment: [:]))
        XCTAssertNil(try RankSettings.resolve(rank: nil, worldSize: 1, master: nil, timeout: nil, interface: nil, environment: [:]))
        XCTAssertEqual(try RankSettings.resolve(rank: nil, worldSize: 2, master: nil, timeout: nil, interface: nil, environment: ["RANK": "0"])?.masterPort, 29500)
    }

    func testMistakesAreNamed() {
        func message(_ body: () throws -> RankSettings?) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { try RankSettings.resolve(rank: 2, worldSize: 2, master: nil, timeout: nil, interface: nil, environment: [:]) }.contains("--rank must be in 0..<2, got 2"))
        XCTAssertTrue(message { try RankSettings.resolve(rank: nil, worldSize: 2, master: nil, timeout: nil, interface: nil, environment: [:]) }.contains("needs this process's rank"))
        XCTAssertTrue(message { try RankSettings.resolve(rank: 1, worldSize: nil, master: nil, timeout: nil, interface: nil, environment: [:]) }.contains("need --world-size"))
        XCTAssertTrue(message { try RankSettings.resolve(rank: 0, worldSize: 2, master: "host", timeout: nil, interface: nil, environment: [:]) }.contains("HOST:PORT"))
        XCTAssertTrue(message { try RankSettings.resolve(rank: nil, worldSize: nil, master: nil, timeout: nil, interface: nil, environment: ["WORLD_SIZE": "two"]) }.contains("WORLD_SIZE must be a whole number, got 'two'"))
        XCTAssertTrue(message { try RankSettings.resolve(rank: 0, worldSize: 2, master: nil, timeout: 0, interface: nil, environment: [:]) }.contains("--dist-timeout"))
    }

    func testSharesReadFromTheTable() {
        final class Fake: Collective {
            let rank: Int, worldSize: Int
            init(_ rank: Int, of size: Int) { (self.rank, worldSize) = (rank, size) }
            func allGather(_ tensor: Tensor) throws -> Tensor { tensor }
            func gradientReducer(for parameters: [Tensor]) throws -> any GradientReducer { SingleProcess() }
            func broadcast(_ tensors: [Tensor], root: Int) throws {}
            func barrier() throws {}
            func atRoot(_ body: () throws -> Void) throws { try body() }
            func anyRank(_ flag: Bool) throws -> Bool { flag }
        }
        let table: [(rows: Int, ranks: Int, shares: [Range<Int>])] = [
            (7, 3, [0..<3, 3..<5, 5..<7]), (6, 2, [0..<3, 3..<6]), (2, 3, [0..<1, 1..<2, 2..<2]),
        ]
        for (rows, ranks, shares) in table {
            XCTAssertEqual((0..<ranks).map { Fake($0, of: ranks).share(of: rows) }, shares, "\(rows) rows, \(ranks) ranks")
        }
    }
}
