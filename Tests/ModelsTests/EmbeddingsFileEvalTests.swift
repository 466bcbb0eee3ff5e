import Embedding
import Foundation
import Support
import TestSupport
import TorchBridge
import XCTest

/// `facenet eval --embeddings FILE`: pairs are looked up among the file's paths, whatever their order.
final class EmbeddingsFileEvalTests: XCTestCase {
    /// 20 people x 2 images; person i's images embed to the unit vector e_i, so matched pairs are at squared
    /// distance 0 and mismatched ones at 2: every pair is classified right only if each image gets its own row.
    func makeFile(order: [Int], dropping dropped: String? = nil) -> EmbeddingFile {
        var paths: [String] = []
        var embeddings: [Float] = []
        for k in order {
            let (person, image) = (k / 2, k % 2 + 1)
            let path = "P\(person)/P\(person)_000\(image).png"
            if path == dropped { continue }
            paths.append(path)
            var row = [Float](repeating: 0, count: 20)
            row[person] = 1
            embeddings += row
        }
        return EmbeddingFile(
            embeddings: embeddings, dimension: 20, paths: paths, labels: paths.map { _ in 0 }, labelNames: [],
            failedPaths: [], failedReasons: [], model: "hand-made", preprocessing: "prewhiten", imageSize: 160,
            root: "/nowhere")
    }

    func pairsFile(in folder: TemporaryFolder) throws -> String {
        var lines = ["20"]
        for i in 0..<20 { lines.append("P\(i)\t1\t2") }
        for i in 0..<20 { lines.append("P\(i)\t1\tP\((i + 3) % 20)\t2") }
        let path = folder.file("pairs.txt")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testShuffledFileGivesPerfectAccuracyAndMissingImagesAreSkipped() throws {
        let folder = try TemporaryFolder()
        let pairs = try pairsFile(in: folder)
        var order = Array(0..<40)
        var generator = SystemRandomNumberGenerator()
        order.shuffle(using: &generator)
        let job = PairsEvaluation(alignedRoot: "", pairsPath: pairs, outputDirectory: folder.file("out"))
        let outcome = try job.run(embeddings: makeFile(order: order), source: "hand.h5", log: { _ in })
        XCTAssertEqual(outcome.report.pairs, 40)
        XCTAssertEqual(outcome.report.accuracy, 1.0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.file("out/summary.json")))

        // Image 2 of P4 missing: its matched pair and one mismatched pair (P1 1 / P4 2) are skipped.
        var log: [String] = []
        let partial = try job.run(
            embeddings: makeFile(order: order, dropping: "P4/P4_0002.png"), source: "hand.h5", log: { log.append($0) })
        XCTAssertEqual(partial.report.pairs, 38)
        XCTAssertTrue(log.joined().contains("P4"), log.joined())

        var flipped = job
        flipped.flip = .concat
        XCTAssertThrowsError(try flipped.run(embeddings: makeFile(order: order), source: "hand.h5", log: { _ in }))
    }

    /// The `precision` attribute: written when known, read back as the case, absent as nil (older files), and a
    /// value that names no precision (edited with h5py) refused naming the file.
    func testThePrecisionAttributeRoundTripsAndABadOneIsNamed() throws {
        let folder = try TemporaryFolder()
        var file = makeFile(order: Array(0..<40))
        try file.write(to: folder.file("none.h5"))
        XCTAssertNil(try EmbeddingFile.read(from: folder.file("none.h5")).precision)
        file.precision = .bf16
        let path = folder.file("bf16.h5")
        try file.write(to: path)
        XCTAssertEqual(try EmbeddingFile.read(from: path).precision, .bf16)
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: FacenetHome.referencePython), "run scripts/setup.sh first")
        let edit = try Subprocess.run(
            FacenetHome.referencePython, ["-c", "import h5py, sys; h5py.File(sys.argv[1], 'r+').attrs['precision'] = 'fp8'", path])
        XCTAssertEqual(edit.status, 0, edit.text)
        XCTAssertThrowsError(try EmbeddingFile.read(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path): attribute 'precision' is 'fp8', expected fp32 or bf16")
        }
    }
}
