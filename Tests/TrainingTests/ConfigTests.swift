import Foundation
import Support
import TestSupport
import Training
import XCTest

/// Bad configs and bad data are clear errors before any work starts.
final class ConfigTests: XCTestCase {
    func load(_ yaml: String) throws -> TrainingConfig {
        let folder = try TemporaryFolder()
        let path = folder.file("c.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: path)
    }

    func assertError(_ yaml: String, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(yaml), file: file, line: line) { error in
            for part in parts { XCTAssertTrue("\(error)".contains(part), "\(error) lacks '\(part)'", file: file, line: line) }
        }
    }

    func testDefaultsFollowTheReference() throws {
        let c = try load("data_dir: x")
        XCTAssertEqual(c.peoplePerBatch, 45)
        XCTAssertEqual(c.imagesPerPerson, 40)
        XCTAssertEqual(c.batchSize, 90)
        XCTAssertEqual(c.margin, 0.2)
        XCTAssertEqual(c.optimizer, .adagrad)
        XCTAssertEqual(c.learningRate, 0.1)
        XCTAssertEqual(c.emaDecay, 0.9999)
        XCTAssertEqual(c.seed, 666)
    }

    func testEveryBadFieldIsNamed() {
        assertError("data_dir: x\npeople_per_batc: 3", contains: ["unknown field 'people_per_batc'", "people_per_batch"])
        assertError("data_dir: x\npeople_per_batch: many", contains: ["field 'people_per_batch'", "whole number", "many"])
        assertError("data_dir: x\nmargin: -0.2", contains: ["field 'margin' must be in (0, 4] (default 0.2), got -0.2"])
        assertError("data_dir: x\nbatch_size: 100", contains: ["field 'batch_size'", "multiple of 3"])
        assertError("data_dir: x\nminer: easy", contains: ["field 'miner' must be margin, semihard, hard or batch-hard, got 'easy'"])
        assertError("data_dir: x\npolicy: 3", contains: ["field 'policy' must be all, random or hardest, got '3'"])
        assertError("data_dir: x\nimage_size: 64", contains: ["field 'image_size'", "75"])
        assertError("data_dir: x\nprofile_batches: -1", contains: ["field 'profile_batches' must be at least 0 (default 0), got -1"])
        assertError("margin: 0.2", contains: ["field 'data_dir'"])
        assertError("- just\n- a list", contains: ["mapping"])
    }

    func testAStoredConfigWithoutNewerFieldsGetsTheirDefaults() throws {
        var config = TrainingConfig()
        config.imageSize = 96
        config.channelsLast = false
        var stored = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any])
        stored.removeValue(forKey: "profileBatches")  // as in a checkpoint written before the field existed
        let decoded = try ConfigLoader.decodeStored(JSONSerialization.data(withJSONObject: stored))
        XCTAssertEqual(decoded.imageSize, 96)
        XCTAssertFalse(decoded.channelsLast)
        XCTAssertEqual(decoded.profileBatches, 0)
        XCTAssertThrowsError(try ConfigLoader.decodeStored(Data("[1, 2]".utf8)))
    }

    func testOverridesWinOverTheFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("c.yaml")
        try "data_dir: x\npeople_per_batch: 10".write(toFile: path, atomically: true, encoding: .utf8)
        let c = try ConfigLoader.load(path: path, overrides: [("people-per-batch", "12"), ("mode", "in-batch")])
        XCTAssertEqual(c.peoplePerBatch, 12)
        XCTAssertEqual(c.mode, .inBatch)
        XCTAssertThrowsError(try ConfigLoader.load(path: path, overrides: [("no-such-field", "1")]))
    }

    func testBadDataIsRefusedBeforeTraining() throws {
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder, people: 2, images: 2)
        let people = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        // One identity only.
        let one = folder.file("one")
        try FileManager.default.createDirectory(atPath: one, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/" + people[0], toPath: one + "/" + people[0])
        var config = try ConfigLoader.load(path: TinyData.config(in: folder, root: one, runDir: folder.file("run1")))
        XCTAssertThrowsError(try Trainer(config: config, source: "test", start: .fresh, say: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(one), "\(error)")
        }
        // Two identities, but nobody with two images.
        let singles = folder.file("singles")
        for person in people {
            try FileManager.default.createDirectory(atPath: singles + "/" + person, withIntermediateDirectories: true)
            let image = try FileManager.default.contentsOfDirectory(atPath: root + "/" + person).sorted()[0]
            try FileManager.default.copyItem(atPath: "\(root)/\(person)/\(image)", toPath: "\(singles)/\(person)/\(image)")
        }
        config = try ConfigLoader.load(path: TinyData.config(in: folder, root: singles, runDir: folder.file("run2")))
        XCTAssertThrowsError(try Trainer(config: config, source: "test", start: .fresh, say: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(singles), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("run2/checkpoint.h5")))
    }
}

extension ConfigTests {
    func testFreezeUntilNamesEachPartOnce() throws {
        let folder = try TemporaryFolder()
        let root = try TinyData.make(in: folder, people: 2, images: 2)
        let config = try ConfigLoader.load(
            path: TinyData.config(in: folder, root: root, runDir: folder.file("run"), extra: "freeze_until: mixed_9z"))
        // facenet-pytorch's InceptionResnetV1 children with weights (its maxpool_3a, avgpool_1a and dropout have
        // none), repeat_1..3 once each although they hold 5, 10 and 5 blocks.
        XCTAssertThrowsError(try Trainer(config: config, source: "c.yaml", start: .fresh, say: { _ in })) { error in
            XCTAssertEqual(
                "\(error)",
                "c.yaml: field 'freeze_until' names no part of the model: 'mixed_9z' (parts: conv2d_1a, conv2d_2a, conv2d_2b, "
                    + "conv2d_3b, conv2d_4a, conv2d_4b, repeat_1, mixed_6a, repeat_2, mixed_7a, repeat_3, block8, "
                    + "last_linear, last_bn)")
        }
    }
}
