import Classifier
import Foundation
import Gallery
import Support
import TestSupport
import XCTest

/// `facenet classify train --gallery G.db`: the gallery's embeddings, labelled by identity, with its fingerprint.
final class GalleryTrainingTests: XCTestCase {
    func testTrainFromGallery() throws {
        try FacenetProcess.requireBinary()
        let folder = try TemporaryFolder()
        let path = folder.file("g.db")
        let gallery = try SQLiteGallery(
            creating: path, model: ClassifierFixtures.fingerprint, threshold: StoredThreshold(score: "distance", value: 1, origin: "test", rule: "mean"))
        let (vectors, labels) = ClassifierFixtures.clusters(classes: 3, perClass: 4, dimension: 8)
        // Added in an order that is not the sorted one: the classes come out sorted by name.
        let names = ["zoe", "adam", "maria"]
        for (n, name) in names.enumerated() {
            let faces = vectors.indices.filter { labels[$0] == Int32(n) }.map { i in
                NewFace(embedding: vectors[i], sourcePath: "/p/\(i).jpg", sourceSHA256: String(i), box: [0, 0, 10, 10],
                        landmarks: Array(repeating: 0, count: 10), detectionScore: 1, sharpness: 100)
            }
            _ = try gallery.add(faces, to: name)
        }
        let model = folder.file("c.model")
        let train = try FacenetProcess.run(["classify", "train", "--gallery", path, "-o", model, "--kind", "knn", "--k", "3"])
        XCTAssertEqual(train.status, 0, train.text)
        XCTAssertTrue(train.output.contains("knn on 12 faces of 3 identities, 0 photos skipped"), train.text)
        let read = try ClassifierFile(reading: model)
        XCTAssertEqual(read.names, ["adam", "maria", "zoe"])
        XCTAssertEqual(read.model, ClassifierFixtures.fingerprint)
        // The same embeddings and names given directly give the same classifier.
        let direct = try NearestNeighbours(
            training: try TrainingSet(named: zip(vectors, labels).map { (names[Int($1)], $0) }), k: 3)
        let probes = ClassifierFixtures.clusters(classes: 3, perClass: 3, dimension: 8, spread: 1, seed: 21).vectors
        for v in vectors + probes { XCTAssertEqual(try read.predict(v), try direct.predict(v)) }
        XCTAssertEqual(try read.predict(vectors[0]).probabilities[2], 1, "zoe's own vector among zoe's")
        // An empty gallery is refused with its path.
        let empty = folder.file("empty.db")
        _ = try SQLiteGallery(creating: empty, model: ClassifierFixtures.fingerprint, threshold: StoredThreshold(score: "distance", value: 1, origin: "test", rule: "mean"))
        let none = try FacenetProcess.run(["classify", "train", "--gallery", empty, "-o", folder.file("e.model")])
        XCTAssertEqual(none.status, ExitStatus.failure, none.text)
        XCTAssertTrue(none.error.contains("\(empty) holds no faces"), none.text)
    }
}
