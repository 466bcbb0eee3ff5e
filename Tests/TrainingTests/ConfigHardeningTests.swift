import Foundation
import Support
import TestSupport
import Training
import TorchBridge
import TripletMining
import XCTest

/// Bad input a new user gives is refused with a message naming the file or option and the field, quickly,
/// and leaves the config folder as it was.
final class ConfigHardeningTests: XCTestCase {
    /// Writes `yaml`, loads it with `overrides`, and returns the error message; checks the folder is unchanged.
    func message(_ yaml: String, overrides: [(String, String)] = [], file: StaticString = #filePath, line: UInt = #line)
        throws -> (String, String)
    {
        let folder = try TemporaryFolder()
        let path = folder.file("c.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let before = try snapshot(folder.path)
        var text = ""
        XCTAssertThrowsError(try ConfigLoader.load(path: path, overrides: overrides), file: file, line: line) { text = "\($0)" }
        XCTAssertEqual(try snapshot(folder.path), before, "the config folder changed", file: file, line: line)
        return (text, path)
    }

    func testAnAliasBombIsRefusedWithinASecond() throws {
        // 9 levels of 9 aliases: 9^9 = 387,420,489 scalars once expanded.
        var yaml = "data_dir: x\nl0: &l0 [" + Array(repeating: "x", count: 9).joined(separator: ", ") + "]\n"
        for level in 1..<9 {
            yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let clock = Date()
        let (text, path) = try message(yaml)
        XCTAssertLessThan(Date().timeIntervalSince(clock), 1)
        XCTAssertEqual(
            text, "\(path): the YAML expands to more than 10000 values (aliases of aliases?); a config is a flat list of field: value lines")
    }

    func testADuplicateKeyIsRefused() throws {
        let (text, path) = try message("data_dir: x\nmargin: 0.2\nseed: 1\nmargin: 0.3\n")
        XCTAssertEqual(text, "\(path): field 'margin' is given twice (line 4)")
    }

    func testNonFiniteNumbersAreRefusedNamingTheField() throws {
        for field in ["margin", "learning_rate", "dropout", "ema_decay", "validation_fraction"] {
            let (inFile, path) = try message("data_dir: x\n\(field): .nan\n")
            XCTAssertEqual(inFile, "\(path): field '\(field)' must be a finite number, got nan")
            let (inOption, _) = try message("data_dir: x\n", overrides: [(field, "-.inf")])
            XCTAssertEqual(inOption, "--\(field) (command line): field '\(field)' must be a finite number, got -inf")
        }
    }

    /// A mode outside its enum names the field and the values the type allows, in the file and as an option.
    func testAValueOutsideAnEnumNamesTheAllowedOnes() throws {
        let (precision, path) = try message("data_dir: x\nprecision: fp16\n")
        XCTAssertEqual(precision, "\(path): field 'precision' must be fp32 or bf16, got 'fp16'")
        let (option, _) = try message("data_dir: x\n", overrides: [("precision", "bf17")])
        XCTAssertEqual(option, "--precision (command line): field 'precision' must be fp32 or bf16, got 'bf17'")
        let (mode, modePath) = try message("data_dir: x\nmode: sideways\n")
        XCTAssertEqual(mode, "\(modePath): field 'mode' must be two-pass or in-batch, got 'sideways'")
    }

    func testEveryRangeNamesTheFieldItsRangeAndDefault() throws {
        let cases: [(String, String, String)] = [
            ("brightness", "-5", "must be in [0, 1] (default 0.0), got -5.0"),
            ("contrast", "2", "must be in [0, 1] (default 0.0), got 2.0"),
            ("validation_fraction", "1", "must be in [0, 1) (default 0.0), got 1.0"),
            ("head_learning_rate", "0", "must be greater than 0 (default none), got 0.0"),
            ("lr_decay_factor", "0", "must be greater than 0 (default 1.0), got 0.0"),
            ("grad_clip", "-1", "must be at least 0 (default 0.0), got -1.0"),
            ("max_minutes", "-1", "must be at least 0 (default 0.0), got -1.0"),
            ("max_steps", "-1", "must be at least 0 (default 0), got -1"),
            ("max_epochs", "-1", "must be at least 0 (default 500), got -1"),
            ("validate_every", "-1", "must be at least 0 (default 200), got -1"),
            ("nan_limit", "-1", "must be at least 0 (default 3), got -1"),
            ("threads", "0", "must be in [1, 1024] (default none), got 0"),
            ("image_size", "5000", "must be in [75, 1024] for backbone inception-resnet-v1, below 75 px Reduction-B has no input (default 160), got 5000 (the reference input is 160)"),
            ("stored_size", "2000", "must be in [160, 1024] (default 160), got 2000"),
            ("people_per_batch", "5000", "must be in [2, 1000] (default 45), got 5000"),
            ("images_per_person", "100000", "must be in [2, 1000] (default 40), got 100000"),
            ("batch_size", "3000", "must be in [1, 1500] (default 90), got 3000"),
            ("embedding_size", "0", "must be in [1, 4096] (default 128), got 0"),
            ("margin", "5", "must be in (0, 4] (default 0.2), got 5.0"),
        ]
        for (field, value, expected) in cases {
            let (inFile, path) = try message("data_dir: x\n\(field): \(value)\n")
            XCTAssertEqual(inFile, "\(path): field '\(field)' \(expected)")
            let (inOption, _) = try message("data_dir: x\n", overrides: [(field.replacingOccurrences(of: "_", with: "-"), value)])
            XCTAssertEqual(inOption, "--\(field) (command line): field '\(field)' \(expected)")
        }
        let (typeError, _) = try message("data_dir: x\n", overrides: [("batch_size", "many")])
        XCTAssertEqual(typeError, "--batch_size (command line): field 'batch_size' must be a whole number, got 'many'")
    }

    func testTheOuterBatchAndItsTripletsAreBounded() throws {
        let (images, _) = try message("data_dir: x\npeople_per_batch: 20\nimages_per_person: 1000\n")
        XCTAssertTrue(images.hasSuffix("field 'images_per_person' times people_per_batch is the outer batch: 20 x 1000 = 20000 images, more than 10000"), images)
        // policy all: 1800 rows in classes of 40, 1800 x 39 ordered pairs, 1760 negatives each.
        let (triplets, path) = try message("data_dir: x\npolicy: all\n")
        XCTAssertEqual(
            triplets,
            "\(path): field 'max_triplets' is 1000000, but miner 'margin' with policy 'all' may find up to \(1800 * 39 * 1760) "
                + "triplets in an outer batch of people_per_batch x images_per_person = 1800 images: lower those, choose policy random, or raise max_triplets")
        // 100 rows in classes of 10: 100 x 9 x 90 = 81,000 triplets at most, under the default.
        XCTAssertNoThrow(try ConfigLoader.load(
            path: nil, overrides: [("data_dir", "x"), ("policy", "all"), ("people_per_batch", "10"), ("images_per_person", "10")]))
    }

    /// The bound is reached: with all distances equal every negative qualifies under the margin rule.
    func testTheTripletBoundIsTheCountOfTheWorstBatch() throws {
        let labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
        let distances = try DistanceMatrix(embeddings: Tensor.zeros([12, 4]))
        let all = RuleMiner(rule: .margin, policy: .all)
        XCTAssertEqual(all.mine(distances, labels: labels).count, 12 * 3 * 8)
        XCTAssertEqual(all.tripletBound(images: 12, perClass: 4), 12 * 3 * 8)
        let random = RuleMiner(rule: .margin, policy: .randomNegative)
        XCTAssertEqual(random.mine(distances, labels: labels).count, 3 * 6)
        XCTAssertEqual(random.tripletBound(images: 12, perClass: 4), 3 * 6)
        // Two classes of 6 when classes may hold 10: (s - 1)(n - s) peaks at s = 6.
        let two = [Int](repeating: 0, count: 6) + [Int](repeating: 1, count: 6)
        XCTAssertEqual(all.mine(distances, labels: two).count, 12 * 5 * 6)
        XCTAssertGreaterThanOrEqual(all.tripletBound(images: 12, perClass: 10), 12 * 5 * 6)
        // The cap: the first 5 in output order.
        let capped = RuleMiner(rule: .margin, policy: .all, maxTriplets: 5).mine(distances, labels: labels)
        XCTAssertEqual(capped, Array(all.mine(distances, labels: labels).prefix(5)))
    }

    func testTheHelpTableHasALineForEveryFieldWithItsDefault() throws {
        XCTAssertEqual(Set(ConfigHelp.meanings.keys), Set(ConfigLoader.fieldNames))
        let lines = ConfigHelp.table().split(separator: "\n").map(String.init)
        // Two lines per field, three for the nine fields with a fixed set of values (backbone among them, and
        // precision, whose default is none).
        XCTAssertEqual(lines.count, 2 * ConfigLoader.fieldNames.count + 9)
        XCTAssertEqual(lines.firstIndex(of: "mode: two-pass").map { lines[$0 + 2] }, "    values: two-pass or in-batch")
        XCTAssertEqual(lines.firstIndex(of: "policy: random").map { lines[$0 + 2] }, "    values: all, random or hardest")
        XCTAssertEqual(lines.firstIndex(of: "margin: 0.2").map { lines[$0 + 1] }, "    triplet margin alpha, in (0, 4]")
        XCTAssertEqual(lines.firstIndex(of: "seed: 666").map { lines[$0 + 1] }, "    seed of every random choice")
        XCTAssertEqual(lines.firstIndex(of: "threads: none").map { lines[$0 + 1] }, "    libtorch threads (none: the core count)")
        XCTAssertEqual(lines.firstIndex(of: "precision: none").map { lines[$0 + 2] }, "    values: fp32 or bf16")
        XCTAssertEqual(lines.first, "data_dir: ''")
    }
}

/// Every file under `root` (relative path -> contents).
func snapshot(_ root: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
    for case let name as String in walker {
        var isFolder: ObjCBool = false
        FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder)
        if !isFolder.boolValue { files[name] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)) }
    }
    return files
}
