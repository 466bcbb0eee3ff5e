import Eval
import Foundation
import Support
import TestSupport
import XCTest

final class PairImagesTests: XCTestCase {
    /// A folder with Ann_0001..3.png, Bob_0001.jpg and Bob_0002.png.
    private func makeImages() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("eval-images")
        for path in ["Ann/Ann_0001.png", "Ann/Ann_0002.png", "Ann/Ann_0003.png", "Bob/Bob_0001.jpg", "Bob/Bob_0002.png"] {
            let full = folder.file(path)
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: full, contents: Data([0])))
        }
        return folder
    }

    private let text = """
        1 3
        Ann\t1\t2
        Ann\t2\t3
        Ann\t1\t9
        Ann\t1\tBob\t1
        Ann\t3\tBob\t2
        Nobody\t1\tBob\t1

        """

    func testResolveSkipsAndReportsMissingImages() throws {
        let folder = try makeImages()
        let file = try PairsFile(parsing: text, path: "pairs.txt")
        let resolved = try file.resolve(with: .directory(folder.path, extensions: ["png", "jpg"]))
        XCTAssertEqual(resolved.pairs.map(\.line), [2, 3, 5, 6])
        XCTAssertEqual(resolved.skipped.map(\.pair.line), [4, 7])
        XCTAssertEqual(resolved.skipped[0].missing, [ImageRef(name: "Ann", number: 9)])
        // An unknown name is a counted skip, like a missing number.
        XCTAssertEqual(resolved.skipped[1].missing, [ImageRef(name: "Nobody", number: 1)])
        // Each image once, in order of first appearance; extensions tried in the caller's order.
        XCTAssertEqual(
            resolved.images,
            ["Ann/Ann_0001.png", "Ann/Ann_0002.png", "Ann/Ann_0003.png", "Bob/Bob_0001.jpg", "Bob/Bob_0002.png"])
        XCTAssertEqual(resolved.indices, [
            PairIndex(first: 0, second: 1), PairIndex(first: 1, second: 2), PairIndex(first: 0, second: 3),
            PairIndex(first: 2, second: 4),
        ])
        XCTAssertEqual(resolved.isSame, [true, true, false, false])
        let report = try XCTUnwrap(resolved.skipReport())
        XCTAssert(report.contains("Skipped 2 of 6 pairs"), report)
        XCTAssert(report.contains("line 7: Nobody/Nobody_0001"), report)
        let accounting = PairAccounting(resolved)
        XCTAssertEqual(accounting.pairsInFile, 6)
        XCTAssertEqual(accounting.skipped.count, 2)
    }

    func testMissingImagesAsAnError() throws {
        let folder = try makeImages()
        let file = try PairsFile(parsing: text, path: "pairs.txt")
        XCTAssertThrowsError(try file.resolve(with: .directory(folder.path, extensions: ["png", "jpg"]), missing: .fail)) {
            let message = "\($0)"
            XCTAssert(message.contains("2 pairs of pairs.txt"), message)
            XCTAssert(message.contains("line 4: Ann/Ann_0009"), message)
        }
        // Only .png: Bob_0001.jpg is then missing too.
        let pngOnly = try file.resolve(with: .directory(folder.path, extensions: ["png"]))
        XCTAssertEqual(pngOnly.skipped.map(\.pair.line), [4, 5, 7])
    }

    func testCustomResolver() throws {
        let file = try PairsFile(parsing: text, path: "pairs.txt")
        let resolver = ImageResolver(description: "in memory") { $0.name == "Nobody" ? nil : $0.relativePath(extension: "png") }
        let resolved = try file.resolve(with: resolver)
        XCTAssertEqual(resolved.pairs.count, 5)
        XCTAssertNil(try file.resolve(with: ImageResolver(description: "all") { $0.stem }).skipReport())
    }

    /// The real LFW images: every image the three protocol files name exists (shared/README.md).
    func testLFWPairsAllResolve() throws {
        let root = Reference.sharedData + "/lfw"
        let file = try PairsFile(contentsOf: root + "/pairs.txt")
        let resolved = try file.resolve(with: .directory(root + "/lfw", extensions: ["jpg"]), missing: .fail)
        XCTAssertEqual(resolved.pairs.count, 6000)
        XCTAssertEqual(resolved.images.count, Set(file.pairs.flatMap { [$0.first, $0.second] }).count)
    }
}

/// An image that exists but cannot be decoded is treated as a missing one (`ResolvedPairs.dropping`).
///
/// | line | pair      | rows before | uses row 1 (Ann_0002, unreadable) | rows after |
/// |------|-----------|-------------|-----------------------------------|------------|
/// | 2    | Ann 1-2   | 0, 1        | yes: skipped                      |            |
/// | 3    | Ann 2-3   | 1, 2        | yes: skipped                      |            |
/// | 4    | Ann 1-9   | missing     | (skipped when resolved)           |            |
/// | 5    | Ann1-Bob1 | 0, 3        | no                                | 0, 1       |
/// | 6    | Ann3-Bob2 | 2, 4        | no                                | 2, 3       |
/// | 7    | Nobody    | missing     | (skipped when resolved)           |            |
/// Kept images in their old order: rows 0, 3, 2, 4 (first appearance among kept pairs) -> rowMap [0, 3, 2, 4].
final class UnreadablePairImagesTests: XCTestCase {
    func testUnreadableImagesSkipTheirPairsLikeMissingOnes() throws {
        let file = try PairsFile(
            parsing: "1 3\nAnn\t1\t2\nAnn\t2\t3\nAnn\t1\t9\nAnn\t1\tBob\t1\nAnn\t3\tBob\t2\nNobody\t1\tBob\t1\n", path: "p.txt")
        let present: Set = ["Ann/Ann_0001", "Ann/Ann_0002", "Ann/Ann_0003", "Bob/Bob_0001", "Bob/Bob_0002"]
        let resolved = try file.resolve(with: ImageResolver(description: "test") { present.contains($0.stem) ? $0.stem : nil })
        XCTAssertEqual(resolved.images, ["Ann/Ann_0001", "Ann/Ann_0002", "Ann/Ann_0003", "Bob/Bob_0001", "Bob/Bob_0002"])

        let (kept, rowMap) = resolved.dropping(unreadable: [1: "truncated PNG"])
        XCTAssertEqual(kept.pairs.map(\.line), [5, 6])
        XCTAssertEqual(rowMap, [0, 3, 2, 4])
        XCTAssertEqual(kept.images, ["Ann/Ann_0001", "Bob/Bob_0001", "Ann/Ann_0003", "Bob/Bob_0002"])
        XCTAssertEqual(kept.indices, [PairIndex(first: 0, second: 1), PairIndex(first: 2, second: 3)])
        XCTAssertEqual(kept.skipped.map(\.pair.line), [2, 3, 4, 7])
        XCTAssertEqual(kept.skipped[0].unreadable.map(\.image), ["Ann/Ann_0002"])
        XCTAssertEqual(kept.skipped[2].missing, [ImageRef(name: "Ann", number: 9)])
        let report = try XCTUnwrap(kept.skipReport())
        XCTAssertTrue(report.contains("Skipped 4 of 6 pairs of p.txt:"), report)
        XCTAssertTrue(report.contains("line 2: Ann/Ann_0002 (unreadable: truncated PNG)"), report)
        XCTAssertTrue(report.contains("line 4: Ann/Ann_0009 (missing)"), report)
        // Nothing unreadable: the same pairs.
        XCTAssertEqual(resolved.dropping(unreadable: [:]).pairs.pairs, resolved.pairs)
    }
}
