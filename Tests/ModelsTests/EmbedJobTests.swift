import Embedding
import Foundation
import Models
import Support
import TestSupport
import TorchBridge
import Vision
import XCTest

/// `facenet embed` over a folder of good and bad files: every good image embedded, every bad one
/// skipped with its reason, and the HDF5 file readable by h5py.
final class EmbedJobTests: XCTestCase {
    /// Two LFW photos made into good and bad files of two identities (`make_bad_images.py`), in `folder/faces`.
    func goodAndBadImages() throws -> (folder: TemporaryFolder, root: String) {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
        try Torch.configure()
        let folder = try TemporaryFolder()
        let root = folder.file("faces")
        let lfw = Reference.sharedData + "/lfw/lfw"
        _ = try Reference.run(
            script: "make_bad_images.py",
            arguments: ["\(lfw)/Aaron_Eckhart/Aaron_Eckhart_0001.jpg", "\(lfw)/Abba_Eban/Abba_Eban_0001.jpg", root])
        return (folder, root)
    }

    /// `--shard k/3` for k = 0, 1, 2: the three files hold every image of the whole folder's file exactly once,
    /// image i (in the sorted order) in shard i mod 3, with the whole folder's labels and equal embeddings.
    func testShardsSplitTheFolderWithoutOverlap() throws {
        let (folder, root) = try goodAndBadImages()
        defer { withExtendedLifetime(folder) {} }
        let embedder = try Embedder(model: InceptionResNetV1.pretrained())
        var whole = EmbedJob(root: root)
        whole.batchSize = 4
        let all = try whole.embeddings(embedder: embedder, log: { _ in }).file
        let order = try ImageFolder.scan(root: root).flatMap(\.imagePaths)  // the sorted list shards index
        var seen: [String: Int] = [:]
        for k in 0..<3 {
            var job = whole
            job.shard = Shard(index: k, count: 3)
            let part = try job.embeddings(embedder: embedder, log: { _ in }).file
            XCTAssertEqual(part.labelNames, all.labelNames)
            for (i, path) in part.paths.enumerated() {
                XCTAssertNil(seen[path], "\(path) in two shards")
                seen[path] = k
                XCTAssertEqual(order.firstIndex(of: path).map { $0 % 3 }, k, path)
                let j = try XCTUnwrap(all.paths.firstIndex(of: path))
                XCTAssertEqual(part.labels[i], all.labels[j])
                XCTAssertLessThan(zip(part.embedding(i), all.embedding(j)).map { abs($0 - $1) }.max()!, 1e-5, path)
            }
        }
        XCTAssertEqual(Set(seen.keys), Set(all.paths))
    }

    func testBadInputIsSkippedWithReasonsAndGoodImagesAreEmbedded() throws {
        let (folder, root) = try goodAndBadImages()

        let embedder = try Embedder(model: InceptionResNetV1.pretrained())
        var job = EmbedJob(root: root, output: folder.file("out.h5"))
        job.batchSize = 4  // several batches, with failures spread over them
        let report = try job.run(embedder: embedder, log: { _ in })

        let good = [
            "alice/Zoë Saldaña 1.jpg", "alice/alpha.png", "alice/big.jpg", "alice/good.jpg", "alice/gray.jpg",
            "alice/sixteen.png", "bob/good.jpg",
        ]
        let bad = ["alice/text.jpg": "not an image", "alice/truncated.jpg": "truncated", "alice/zero.jpg": "empty"]
        XCTAssertEqual(report.embedded, good.count)
        XCTAssertEqual(Set(report.failed.map(\.path)), Set(bad.keys))
        for failure in report.failed {
            XCTAssertTrue(failure.reason.contains(failure.path), "reason names the file: \(failure.reason)")
            XCTAssertTrue(failure.reason.contains(bad[failure.path]!), "\(failure.path): \(failure.reason)")
        }

        let file = try EmbeddingFile.read(from: folder.file("out.h5"))
        XCTAssertEqual(file.paths.sorted(), good.sorted())
        XCTAssertEqual(file.labelNames, ["alice", "bob"])
        XCTAssertEqual(file.labels, file.paths.map { $0.hasPrefix("bob") ? 1 : 0 })
        // The file equals a direct embedding of the same images.
        let direct = try embedder.embed(
            try file.paths.map { FaceBatch.conform(try Image.load(path: root + "/" + $0), size: 160) })
        for (i, row) in direct.enumerated() {
            let worst = zip(row, file.embedding(i)).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-5, file.paths[i])
        }
        // Same face, different file formats: close embeddings (JPEG re-encoding and alpha drop only).
        let index = Dictionary(uniqueKeysWithValues: file.paths.enumerated().map { ($1, $0) })
        func distance(_ a: String, _ b: String) -> Float {
            zip(file.embedding(index[a]!), file.embedding(index[b]!)).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }
        XCTAssertLessThan(distance("alice/good.jpg", "alice/alpha.png"), 0.1)
        XCTAssertGreaterThan(distance("alice/good.jpg", "bob/good.jpg"), 0.5)

        // h5py reads it as is: dtypes and shapes.
        let dump = try Reference.run(script: "h5_inspect.py", arguments: ["dump", folder.file("out.h5")])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any])
        let datasets = try XCTUnwrap(json["datasets"] as? [String: [String: Any]])
        XCTAssertEqual(datasets["/embeddings"]?["shape"] as? [Int], [good.count, 128])
        XCTAssertEqual(datasets["/embeddings"]?["dtype"] as? String, "f4")
        XCTAssertEqual(datasets["/labels"]?["dtype"] as? String, "i8")
        XCTAssertEqual(datasets["/paths"]?["dtype"] as? String, "vlen-str:utf-8")
        XCTAssertTrue((datasets["/paths"]?["values"] as? [String])?.contains("alice/Zoë Saldaña 1.jpg") ?? false)
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["faces", "out.h5"])
    }
}
