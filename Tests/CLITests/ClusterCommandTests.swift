import Foundation
import Support
import TestSupport
import XCTest

/// `facenet cluster` on six LFW photos of two people (250x250, resized to the model's 160 by the embedder;
/// not proper crops, which does not matter for what is asserted): the thresholds below make the outcome
/// independent of the model's numbers. Squared distances between unit vectors are at most 4, so
/// threshold 4.5 joins every face; no two different photos are within 1e-6, so that threshold leaves each
/// face alone.
final class ClusterCommandTests: XCTestCase {
    let people = ["Colin_Powell", "George_W_Bush"]

    override func setUpWithError() throws {
        try FacenetProcess.requireBinary()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
    }

    /// `faces/<person>/<photo>` links to three photos of each person.
    func makeFaces(in folder: TemporaryFolder) throws -> [String] {
        var paths: [String] = []
        for person in people {
            try FileManager.default.createDirectory(atPath: folder.file("faces/\(person)"), withIntermediateDirectories: true)
            for k in 1...3 {
                let name = String(format: "%@_%04d.jpg", person, k)
                try FileManager.default.createSymbolicLink(
                    atPath: folder.file("faces/\(person)/\(name)"),
                    withDestinationPath: Reference.sharedData + "/lfw/lfw/\(person)/\(name)")
                paths.append("\(person)/\(name)")
            }
        }
        return paths
    }

    func csvRows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    }

    func testEveryFaceJoinedAndEveryFaceAlone() throws {
        let folder = try TemporaryFolder("cluster-cli")
        let paths = try makeFaces(in: folder)

        let joined = try FacenetProcess.run(["cluster", "faces", "--out", "all", "--threshold", "4.5"], in: folder.path)
        XCTAssertEqual(joined.status, ExitStatus.success, joined.text)
        XCTAssertTrue(joined.output.contains("1 clusters (0 of one face) of 6 faces, 0 noise; chinese-whispers, threshold 4.5"), joined.text)
        // Two people, all in one cluster: precision 6/15 (the 3 + 3 same-person pairs of 15), recall 1.
        XCTAssertTrue(joined.output.contains("pairwise precision 0.4000 recall 1.0000 F1 0.5714 against 2 identities"), joined.text)
        XCTAssertEqual(try csvRows(folder.file("all/clusters.csv")), [["path", "cluster", "size"]] + paths.map { [$0, "cluster_0001", "6"] })
        let links = try FileManager.default.contentsOfDirectory(atPath: folder.file("all/cluster_0001")).sorted()
        XCTAssertEqual(links, paths.map { ($0 as NSString).lastPathComponent }.sorted())
        XCTAssertEqual(
            try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("all/cluster_0001/\(links[0])")),
            folder.path + "/faces/" + paths[0])

        // DBSCAN with min_samples above the face count: nothing is core, all noise; a rerun into the same
        // folder replaces the earlier clusters.
        let noise = try FacenetProcess.run(
            ["cluster", "faces", "--out", "all", "--algorithm", "dbscan", "--threshold", "4.5", "--min-samples", "7"],
            in: folder.path)
        XCTAssertEqual(noise.status, ExitStatus.success, noise.text)
        XCTAssertTrue(noise.output.contains("0 clusters (0 of one face) of 6 faces, 6 noise; dbscan"), noise.text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.file("all")).sorted(), ["clusters.csv", "noise"])
        XCTAssertEqual(try csvRows(folder.file("all/clusters.csv")).dropFirst().map { $0[1] }, Array(repeating: "noise", count: 6))

        let alone = try FacenetProcess.run(
            ["cluster", "faces", "--out", "alone", "--algorithm", "dbscan", "--threshold", "1e-6"], in: folder.path)
        XCTAssertEqual(alone.status, ExitStatus.success, alone.text)
        XCTAssertTrue(alone.output.contains("6 clusters (6 of one face) of 6 faces, 0 noise"), alone.text)
        XCTAssertTrue(alone.output.contains("pairwise precision 1.0000 recall 0.0000 F1 0.0000"), alone.text)
        let folders = try FileManager.default.contentsOfDirectory(atPath: folder.file("alone")).sorted()
        XCTAssertEqual(folders, (1...6).map { String(format: "cluster_%04d", $0) } + ["clusters.csv"])
    }

    /// `--detect main` on raw LFW photos (250x250, often with other people in the background) clusters the
    /// faces `facenet align` would keep, cropped as it crops them: the same partition as clustering align's
    /// own crops of the same photos (the reference route), with the folders' identities scored. `--detect
    /// all` clusters every face found, each a CSV row naming its photo, its index among the photo's faces and
    /// its box; the main faces are among them.
    func testRawPhotosClusterAsTheirAlignedCrops() throws {
        let folder = try TemporaryFolder("cluster-cli")
        let paths = try makeFaces(in: folder)
        let align = try FacenetProcess.run(["align", "faces", "crops"], in: folder.path)
        XCTAssertEqual(align.status, ExitStatus.success, align.text)
        let crops = try FacenetProcess.run(["cluster", "crops", "--out", "from-crops"], in: folder.path)
        XCTAssertEqual(crops.status, ExitStatus.success, crops.text)
        let main = try FacenetProcess.run(["cluster", "faces", "--detect", "main", "--out", "from-photos"], in: folder.path)
        XCTAssertEqual(main.status, ExitStatus.success, main.text)

        /// The clusters as sets of photo names (crops keep the photo's name with align's extension).
        func partition(_ csv: String) throws -> Set<Set<String>> {
            let rows = try csvRows(folder.file(csv)).dropFirst()
            let byCluster = Dictionary(grouping: rows, by: { $0[$0.count - 2] })
            return Set(byCluster.values.map { Set($0.map { (($0[0] as NSString).deletingPathExtension as NSString).lastPathComponent }) })
        }
        let reference = try partition("from-crops/clusters.csv")
        XCTAssertEqual(reference.reduce(0) { $0 + $1.count }, paths.count)
        XCTAssertEqual(try partition("from-photos/clusters.csv"), reference)
        XCTAssertEqual(try csvRows(folder.file("from-photos/clusters.csv"))[0], ["path", "face", "x1", "y1", "x2", "y2", "cluster", "size"])
        let scoreLine = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("pairwise precision") }.map(String.init) }
        XCTAssertNotNil(scoreLine(main.output), main.text)
        XCTAssertEqual(scoreLine(main.output), scoreLine(crops.output))

        let all = try FacenetProcess.run(["cluster", "faces", "--detect", "all", "--out", "every-face"], in: folder.path)
        XCTAssertEqual(all.status, ExitStatus.success, all.text)
        XCTAssertNil(scoreLine(all.output), "a photo's folder does not name every face in it")
        let rows = try csvRows(folder.file("every-face/clusters.csv")).dropFirst()
        XCTAssertGreaterThanOrEqual(rows.count, paths.count)
        XCTAssertEqual(Set(rows.map { $0[0] }), Set(paths), "every photo has a face")
        let mainRows = try csvRows(folder.file("from-photos/clusters.csv")).dropFirst()
        for row in mainRows {
            XCTAssertTrue(rows.contains { Array($0[0...5]) == Array(row[0...5]) }, "main face \(row) is not among every face's rows")
        }
        for row in rows {
            let box = row[2...5].compactMap(Double.init)
            XCTAssertEqual(box.count, 4, "\(row)")
            XCTAssertTrue(box[2] > box[0] && box[3] > box[1], "\(row)")
        }

        // A damaged photo among them is reported and skipped (exit 3); the others are clustered as before.
        let photo = try Data(contentsOf: URL(fileURLWithPath: folder.file("faces/\(paths[0])")))
        try photo.prefix(photo.count / 3).write(to: URL(fileURLWithPath: folder.file("faces/\(people[0])/cut.jpg")))
        let damaged = try FacenetProcess.run(["cluster", "faces", "--detect", "main", "--out", "with-damaged"], in: folder.path)
        XCTAssertEqual(damaged.status, ExitStatus.someSkipped, damaged.text)
        XCTAssertTrue(damaged.output.contains("skipped faces/\(people[0])/cut.jpg: "), damaged.text)
        XCTAssertEqual(try partition("with-damaged/clusters.csv"), reference)
        // An empty folder and a missing one are named.
        try FileManager.default.createDirectory(atPath: folder.file("empty"), withIntermediateDirectories: true)
        let empty = try FacenetProcess.run(["cluster", "empty", "--detect", "all", "--out", "o"], in: folder.path)
        XCTAssertEqual(empty.status, ExitStatus.failure, empty.text)
        XCTAssertTrue(empty.error.contains("empty holds no image files"), empty.text)
        let missing = try FacenetProcess.run(["cluster", "nowhere", "--detect", "all", "--out", "o"], in: folder.path)
        XCTAssertNotEqual(missing.status, ExitStatus.success, missing.text)
        XCTAssertTrue(missing.error.contains("nowhere"), missing.text)

        let misuse = try FacenetProcess.run(["cluster", "--embeddings", "e.h5", "--detect", "all", "--out", "o"], in: folder.path)
        XCTAssertEqual(misuse.status, ExitStatus.usage, misuse.text)
        XCTAssertTrue(misuse.error.contains("--detect goes with a folder of photos"), misuse.text)
    }

    /// `--detect` journals the faces it finds in the output folder (faces.jsonl: a header line, then a line per
    /// photo). A run cut short (the journal kept to two photos and a partial line, as SIGKILL leaves it) resumes:
    /// the rerun detects only the other four and writes the same clusters.csv and the same faces as the
    /// uninterrupted run. A journal made with other settings is not resumed.
    func testDetectResumesFromItsJournal() throws {
        let folder = try TemporaryFolder("cluster-resume")
        _ = try makeFaces(in: folder)
        let full = try FacenetProcess.run(["cluster", "faces", "--detect", "all", "--out", "full"], in: folder.path)
        XCTAssertEqual(full.status, ExitStatus.success, full.text)
        let journal = try String(contentsOfFile: folder.file("full/faces.jsonl"), encoding: .utf8)
        let lines = journal.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + 6, journal)

        try FileManager.default.createDirectory(atPath: folder.file("cut"), withIntermediateDirectories: true)
        let cut = lines[0...2].joined(separator: "\n") + "\n" + lines[3].prefix(lines[3].count / 2)
        try Data(cut.utf8).write(to: URL(fileURLWithPath: folder.file("cut/faces.jsonl")))
        let resumed = try FacenetProcess.run(["cluster", "faces", "--detect", "all", "--out", "cut"], in: folder.path)
        XCTAssertEqual(resumed.status, ExitStatus.success, resumed.text)
        XCTAssertTrue(resumed.output.contains("cluster: resuming cut/faces.jsonl: 2 photos done, 4 to go"), resumed.text)
        XCTAssertEqual(
            try String(contentsOfFile: folder.file("cut/clusters.csv"), encoding: .utf8),
            try String(contentsOfFile: folder.file("full/clusters.csv"), encoding: .utf8))
        // The same photos and faces. Not bit for bit: the detector runs photos in groups, and after a resume
        // the groups differ, which moved a box by 1e-5 px here; the CSV's one-decimal boxes are equal.
        func faces(_ folder: String) throws -> [String: [(box: [Double], embedding: [Float])]] {
            let lines = try String(contentsOfFile: folder + "/faces.jsonl", encoding: .utf8).split(separator: "\n").dropFirst()
            var result: [String: [(box: [Double], embedding: [Float])]] = [:]
            for line in lines {
                let photo = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let faces = try XCTUnwrap(photo["faces"] as? [[String: Any]])
                result[try XCTUnwrap(photo["path"] as? String)] = try faces.map {
                    (try XCTUnwrap($0["box"] as? [Double]), try XCTUnwrap($0["embedding"] as? [Double]).map(Float.init))
                }
            }
            return result
        }
        let expected = try faces(folder.file("full"))
        let found = try faces(folder.file("cut"))
        XCTAssertEqual(Set(found.keys), Set(expected.keys))
        for (path, list) in expected {
            XCTAssertEqual(found[path]?.count, list.count, path)
            for (a, b) in zip(found[path] ?? [], list) {
                for (x, y) in zip(a.box, b.box) { XCTAssertEqual(x, y, accuracy: 1e-3, path) }
                for (x, y) in zip(a.embedding, b.embedding) { XCTAssertEqual(x, y, accuracy: 1e-4, path) }
            }
        }

        let again = try FacenetProcess.run(["cluster", "faces", "--detect", "all", "--out", "cut"], in: folder.path)
        XCTAssertTrue(again.output.contains("6 photos done, 0 to go"), again.text)
        // A photo replaced since (here: a link pointed at another photo) is detected again.
        let replaced = folder.file("faces/\(people[0])/\(people[0])_0001.jpg")
        try FileManager.default.removeItem(atPath: replaced)
        try FileManager.default.createSymbolicLink(
            atPath: replaced, withDestinationPath: Reference.sharedData + "/lfw/lfw/\(people[0])/\(people[0])_0004.jpg")
        let changed = try FacenetProcess.run(["cluster", "faces", "--detect", "all", "--out", "cut"], in: folder.path)
        XCTAssertTrue(changed.output.contains("5 photos done, 1 to go"), changed.text)
        let otherMargin = try FacenetProcess.run(
            ["cluster", "faces", "--detect", "all", "--margin", "20", "--out", "cut"], in: folder.path)
        XCTAssertEqual(otherMargin.status, ExitStatus.success, otherMargin.text)
        XCTAssertTrue(otherMargin.output.contains("not resumed: it was written with other settings (margin); detecting afresh"), otherMargin.text)
        let otherMode = try FacenetProcess.run(["cluster", "faces", "--detect", "main", "--margin", "20", "--out", "cut"], in: folder.path)
        XCTAssertTrue(otherMode.output.contains("other settings (detect)"), otherMode.text)
    }

    func testUsageAndOutputErrors() throws {
        let folder = try TemporaryFolder("cluster-cli")
        _ = try makeFaces(in: folder)
        let neither = try FacenetProcess.run(["cluster", "--out", "o"], in: folder.path)
        XCTAssertEqual(neither.status, ExitStatus.usage, neither.text)
        XCTAssertTrue(neither.error.contains("give ALIGNED_DIR or --embeddings FILE (one of them)"), neither.text)
        let inside = try FacenetProcess.run(["cluster", "faces", "--out", "faces/clusters"], in: folder.path)
        XCTAssertEqual(inside.status, ExitStatus.failure, inside.text)
        XCTAssertTrue(inside.error.contains("it lies inside the DIRECTORY folder faces"), inside.text)
        let missing = try FacenetProcess.run(["cluster", "--embeddings", "none.h5", "--out", "o"], in: folder.path)
        XCTAssertEqual(missing.status, ExitStatus.failure, missing.text)
        XCTAssertTrue(missing.error.contains("the embeddings file none.h5 does not exist"), missing.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("o")))
    }
}
