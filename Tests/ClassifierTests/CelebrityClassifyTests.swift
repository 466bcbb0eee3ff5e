import Foundation
import Support
import TestSupport
import XCTest

/// The seeds' notebook split (5 people, train 93 / val 25 photos): `classify train` on train, `classify
/// predict` on val; the main face of each validation photo is named correctly for at least 24 of the 25
/// (the issue's bar 0.96; the notebooks' SVM reports 100%). Bad input is refused with the file and problem.
final class CelebrityClassifyTests: XCTestCase {
    func accuracy(kind: String, folder: TemporaryFolder) throws -> Double {
        let model = folder.file("\(kind).model")
        let train = try FacenetProcess.run(
            ["classify", "train", PhotoFixtures.celebrities + "/train", "-o", model, "--kind", kind])
        XCTAssertEqual(train.status, 0, train.text)
        XCTAssertTrue(train.output.contains("on 93 faces of 5 identities, 0 photos skipped"), train.text)
        let predict = try FacenetProcess.run(["classify", "predict", PhotoFixtures.celebrities + "/val", "--classifier", model])
        XCTAssertEqual(predict.status, 0, predict.text)
        let rows = try PhotoFixtures.lines(predict.output)
        let main = rows.filter { $0["main_face"] as? Bool == true }
        XCTAssertEqual(Set(main.map { $0["path"] as! String }).count, 25)
        XCTAssertEqual(main.count, 25)
        for row in rows {
            let top = try XCTUnwrap(row["top"] as? [[String: Any]])
            XCTAssertEqual(top.count, 3)
            XCTAssertEqual(top[0]["probability"] as? Double, row["probability"] as? Double)
            let probabilities = top.map { $0["probability"] as! Double }
            XCTAssertEqual(probabilities, probabilities.sorted(by: >))
        }
        let correct = main.filter { ($0["path"] as! String).split(separator: "/").dropLast().last.map(String.init) == $0["name"] as? String }
        let value = Double(correct.count) / Double(main.count)
        print("classify \(kind): 5-celebrity validation accuracy \(correct.count)/\(main.count) = \(value)")
        print(main.map { "\(($0["path"] as! String).split(separator: "/").suffix(2).joined(separator: "/")) \($0["name"]!) \($0["probability"]!)" }.joined(separator: "\n"))
        return value
    }

    func testLinearAndKNNOnValidation() throws {
        try PhotoFixtures.requireData()
        let folder = try TemporaryFolder()
        XCTAssertGreaterThanOrEqual(try accuracy(kind: "linear", folder: folder), 0.96)
        XCTAssertGreaterThanOrEqual(try accuracy(kind: "knn", folder: folder), 0.96)
    }

    func testBadInput() throws {
        try PhotoFixtures.requireData()
        let folder = try TemporaryFolder()
        let photo = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.celebrities + "/val/madonna").sorted().first)
        let madonna = PhotoFixtures.celebrities + "/val/madonna/" + photo

        // A model file that is not one.
        let bogus = folder.file("bogus.model")
        try Data("not a model\n".utf8).write(to: URL(fileURLWithPath: bogus))
        let notModel = try FacenetProcess.run(["classify", "predict", madonna, "--classifier", bogus])
        XCTAssertEqual(notModel.status, ExitStatus.failure, notModel.text)
        XCTAssertTrue(notModel.error.contains("\(bogus) is not a facenet classifier file"), notModel.text)

        // A classifier of another model's embeddings (a gallery of another fingerprint, as GalleryTests make).
        let other = folder.file("other.model")
        let text = "{\"format\":\"facenet-classifier\",\"k\":1,\"kind\":\"knn\",\"model\":{\"embeddingSize\":2,\"imageSize\":160,"
            + "\"name\":\"other\",\"preprocessing\":\"standardize\",\"weightsSHA256\":\"00\"},\"names\":[\"a\",\"b\"],\"version\":1}\n0 1 0\n1 0 1\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: other))
        let mismatch = try FacenetProcess.run(["classify", "predict", madonna, "--classifier", other])
        XCTAssertEqual(mismatch.status, ExitStatus.failure, mismatch.text)
        XCTAssertTrue(mismatch.error.contains("\(other) was trained on embeddings of another model (other, 2-D"), mismatch.text)
        XCTAssertEqual(mismatch.output, "")

        // A PHOTOS_DIR without identity folders (photos directly inside): nothing is written.
        let flat = folder.file("flat")
        try FileManager.default.createDirectory(atPath: flat, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: madonna, toPath: flat + "/one.jpg")
        let out = folder.file("flat.model")
        let noIdentities = try FacenetProcess.run(["classify", "train", flat, "-o", out])
        XCTAssertEqual(noIdentities.status, ExitStatus.failure, noIdentities.text)
        XCTAssertTrue(noIdentities.error.contains("\(flat) holds 0 identity folders with photos"), noIdentities.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // The output may not replace an input.
        let trainFolder = PhotoFixtures.celebrities + "/train/madonna"
        let trainPhoto = trainFolder + "/" + (try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: trainFolder).sorted().first))
        let ontoInput = try FacenetProcess.run(["classify", "train", PhotoFixtures.celebrities + "/train", "-o", trainPhoto])
        XCTAssertEqual(ontoInput.status, ExitStatus.failure, ontoInput.text)
        XCTAssertTrue(ontoInput.error.contains("refusing to write --output"), ontoInput.text)
        // PHOTOS_DIR and --gallery together are a usage error.
        let both = try FacenetProcess.run(["classify", "train", flat, "--gallery", folder.file("g.db"), "-o", out])
        XCTAssertEqual(both.status, ExitStatus.usage, both.text)
    }
}
