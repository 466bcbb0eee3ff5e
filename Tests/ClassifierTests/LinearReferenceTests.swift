import Classifier
import Foundation
import Support
import TestSupport
import XCTest

/// liblinear's logistic regression through CLinear against scikit-learn's LogisticRegression(solver='liblinear')
/// (its own bundled liblinear) on the same data: the probabilities agree.
final class LinearReferenceTests: XCTestCase {
    func reference(train: [[Float]], labels: [Int32], queries: [[Float]], c: Double, k: Int? = nil) throws -> [String: Any] {
        let folder = try TemporaryFolder()
        var request: [String: Any] = [
            "train": train.map { $0.map(Double.init) }, "labels": labels.map(Int.init),
            "queries": queries.map { $0.map(Double.init) }, "C": c, "tol": LinearClassifier.defaultTolerance,
        ]
        if let k { request["k"] = k }
        try JSONSerialization.data(withJSONObject: request).write(to: URL(fileURLWithPath: folder.file("request.json")))
        let out = try Reference.run(script: "classifier_reference.py", arguments: [folder.file("request.json")])
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    func check(classes: Int, c: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let (train, labels) = ClassifierFixtures.clusters(classes: classes, perClass: 12, dimension: 8)
        let (queries, _) = ClassifierFixtures.clusters(classes: classes, perClass: 4, dimension: 8, spread: 1.2, seed: 99)
        let set = try TrainingSet(names: (0..<classes).map { "p\($0)" }, vectors: train.flatMap { $0 }, labels: labels, dimension: 8)
        let model = try LinearClassifier(training: set, c: c)
        let expected = try XCTUnwrap(try reference(train: train, labels: labels, queries: queries, c: c)["probabilities"] as? [[Double]])
        var largest = 0.0
        for (query, want) in zip(queries, expected) {
            let got = try model.predict(query).probabilities
            XCTAssertEqual(got.reduce(0, +), 1, accuracy: 1e-9, file: file, line: line)
            for (g, w) in zip(got, want) { largest = max(largest, abs(g - w)) }
        }
        // Two builds of liblinear (Debian's 2.3, scikit-learn's bundled copy) stopping at tol 1e-4.
        XCTAssertLessThan(largest, 2e-3, "classes \(classes), C \(c)", file: file, line: line)
        // The probabilities are not trivially flat: the data separate.
        XCTAssertGreaterThan(try model.predict(train[0]).probabilities[Int(labels[0])], 1.0 / Double(classes) + 0.1, file: file, line: line)
    }

    func testThreeClassesDefaultC() throws { try check(classes: 3, c: LinearClassifier.defaultC) }

    func testFiveClassesStrongerFit() throws { try check(classes: 5, c: 20) }

    func testTwoClasses() throws { try check(classes: 2, c: 1) }

    /// kNN's vote shares equal scikit-learn's KNeighborsClassifier(n_neighbors=5).predict_proba.
    func testNearestNeighboursMatchScikitLearn() throws {
        let (train, labels) = ClassifierFixtures.clusters(classes: 4, perClass: 10, dimension: 8)
        let (queries, _) = ClassifierFixtures.clusters(classes: 4, perClass: 5, dimension: 8, spread: 1.5, seed: 7)
        let set = try TrainingSet(names: ["a", "b", "c", "d"], vectors: train.flatMap { $0 }, labels: labels, dimension: 8)
        let knn = try NearestNeighbours(training: set)
        let expected = try XCTUnwrap(try reference(train: train, labels: labels, queries: queries, c: 1, k: 5)["knn"] as? [[Double]])
        for (query, want) in zip(queries, expected) {
            XCTAssertEqual(try knn.predict(query).probabilities, want)
        }
    }
}
