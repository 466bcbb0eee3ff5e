import Classifier
import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// The classifier file: what is written is read back with the same predictions; files that are not
/// classifiers are refused with the path and the problem.
final class ClassifierFileTests: XCTestCase {
    let data = ClassifierFixtures.clusters(classes: 3, perClass: 6, dimension: 8)
    var set: TrainingSet { try! TrainingSet(names: ["ann", "bob", "cy"], vectors: data.vectors.flatMap { $0 }, labels: data.labels, dimension: 8) }
    let queries = ClassifierFixtures.clusters(classes: 3, perClass: 3, dimension: 8, spread: 1, seed: 5).vectors

    func roundTrip(_ classifier: TrainedClassifier) throws {
        let folder = try TemporaryFolder()
        let path = folder.file("c.model")
        try ClassifierFile(names: set.names, model: ClassifierFixtures.fingerprint, classifier: classifier).write(to: path)
        let read = try ClassifierFile(reading: path)
        XCTAssertEqual(read.names, ["ann", "bob", "cy"])
        XCTAssertEqual(read.model, ClassifierFixtures.fingerprint)
        XCTAssertEqual(read.classifier.kind, classifier.kind)
        for q in queries { XCTAssertEqual(try read.predict(q), try classifier.predict(q)) }
        // The header is one line of JSON; no temporary is left beside the file.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.prefix { $0 != "\n" }.utf8)) as? [String: Any])
        XCTAssertEqual(header["format"] as? String, "facenet-classifier")
        XCTAssertEqual(header["kind"] as? String, classifier.kind.rawValue)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["c.model"])
        XCTAssertThrowsError(try read.checkMatches(ModelFingerprint(name: "test-model", embeddingSize: 8, imageSize: 160, preprocessing: "standardize", weightsSHA256: "00"))) { error in
            XCTAssertTrue("\(error)".contains("trained on embeddings of another model"), "\(error)")
        }
        XCTAssertNoThrow(try read.checkMatches(ClassifierFixtures.fingerprint))
    }

    func testLinearRoundTrip() throws {
        try roundTrip(.linear(try LinearClassifier(training: set)))
        // The body is liblinear's own model text.
        let folder = try TemporaryFolder()
        try ClassifierFile(names: set.names, model: ClassifierFixtures.fingerprint, classifier: .linear(try LinearClassifier(training: set)))
            .write(to: folder.file("c.model"))
        let lines = try String(contentsOfFile: folder.file("c.model"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines[1], "solver_type L2R_LR")
        XCTAssertEqual(lines[2], "nr_class 3")
    }

    func testKNNRoundTrip() throws { try roundTrip(.knn(try NearestNeighbours(training: set, k: 3))) }

    func testNotAClassifier() throws {
        let folder = try TemporaryFolder()
        let valid = folder.file("valid.model")
        try ClassifierFile(names: set.names, model: ClassifierFixtures.fingerprint, classifier: .linear(try LinearClassifier(training: set)))
            .write(to: valid)
        let text = try String(contentsOfFile: valid, encoding: .utf8)
        let header = String(text.prefix { $0 != "\n" })
        let cases: [(name: String, bytes: String, problem: String)] = [
            ("empty", "", "no header line"),
            ("text", "hello\nworld\n", "the first line is not its JSON header"),
            ("other-format", header.replacingOccurrences(of: "facenet-classifier", with: "something") + "\n", "format \"something\""),
            ("damaged-body", header + "\nsolver_type L2R_LR\nnr_class banana\n", "its liblinear model does not load"),
            ("names", header.replacingOccurrences(of: "\"cy\"", with: "\"cy\",\"dee\"") + text.drop { $0 != "\n" },
             "a classifier of 3 classes"),
        ]
        for c in cases {
            let path = folder.file(c.name)
            try Data(c.bytes.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ClassifierFile(reading: path), c.name) { error in
                let message = (error as? UserError)?.message ?? "\(error)"
                XCTAssertTrue(message.hasPrefix("\(path) is not a facenet classifier file"), message)
                XCTAssertTrue(message.contains(c.problem), message)
            }
        }
        XCTAssertThrowsError(try ClassifierFile(reading: folder.file("missing")))
    }
}
