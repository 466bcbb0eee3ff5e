import Foundation
import Gallery
import Support

/// The classifier file (docs/formats.md): one line of JSON header (format, version, kind, class names, the
/// fingerprint of the model whose embeddings it classifies, k for kNN), then the classifier itself as text —
/// liblinear's own `save_model` text for `linear`, one `<class> <v1> ... <vD>` line per training embedding for
/// `knn`. Written through a temporary file and a rename.
public struct ClassifierFile: Sendable {
    public static let format = "facenet-classifier"
    public static let version = 1

    public let names: [String]
    public let model: ModelFingerprint
    public let classifier: TrainedClassifier
    /// Where it was read from (for messages), or nil.
    public let path: String?

    public init(names: [String], model: ModelFingerprint, classifier: TrainedClassifier) throws {
        try self.init(names: names, model: model, classifier: classifier, path: nil)
    }

    private init(names: [String], model: ModelFingerprint, classifier: TrainedClassifier, path: String?) throws {
        guard names.count == classifier.classCount, classifier.dimension == model.embeddingSize else {
            throw UserError(
                "a classifier of \(classifier.classCount) classes over \(classifier.dimension)-D embeddings cannot hold "
                    + "\(names.count) names for the \(model.embeddingSize)-D model \(model.name)")
        }
        self.names = names
        self.model = model
        self.classifier = classifier
        self.path = path
    }

    struct Header: Codable {
        var format: String
        var version: Int
        var kind: ClassifierKind
        var names: [String]
        var model: ModelFingerprint
        var k: Int?
    }

    // MARK: writing

    public func write(to path: String) throws {
        var k: Int?
        if case .knn(let c) = classifier { k = c.k }
        let header = Header(format: Self.format, version: Self.version, kind: classifier.kind, names: names, model: model, k: k)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(header)
        data.append(Data("\n".utf8))
        data.append(Data(try body().utf8))
        try AtomicFile.write(data, to: path)
    }

    func body() throws -> String {
        switch classifier {
        case .linear(let c):
            let scratch = NSTemporaryDirectory() + "facenet-liblinear-\(UUID().uuidString)"
            defer { unlink(scratch) }
            try c.save(liblinearFile: scratch)
            return try String(contentsOfFile: scratch, encoding: .utf8)
        case .knn(let c):
            return (0..<c.training.count).map { i in
                ([String(c.training.labels[i])] + c.training.row(i).map { String($0) }).joined(separator: " ") + "\n"
            }.joined()
        }
    }

    // MARK: reading

    public init(reading path: String) throws {
        let data = try InputFile.data(path, what: "classifier")
        func refuse(_ problem: String) -> UserError {
            UserError("\(path) is not a facenet classifier file (docs/formats.md): \(problem)")
        }
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { throw refuse("no header line") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline])
        } catch {
            throw refuse("the first line is not its JSON header")
        }
        guard header.format == Self.format else { throw refuse("format \"\(header.format)\"") }
        guard header.version == Self.version else {
            throw refuse("version \(header.version); this build reads version \(Self.version)")
        }
        let body = data[data.index(after: newline)...]
        let classifier: TrainedClassifier
        switch header.kind {
        case .linear:
            let scratch = NSTemporaryDirectory() + "facenet-liblinear-\(UUID().uuidString)"
            defer { unlink(scratch) }
            try Data(body).write(to: URL(fileURLWithPath: scratch))
            do {
                classifier = .linear(try LinearClassifier(liblinearFile: scratch))
            } catch {
                throw refuse("its liblinear model does not load")
            }
        case .knn:
            guard let k = header.k else { throw refuse("a knn classifier without k") }
            var named: [Int32] = []
            var vectors: [Float] = []
            for (number, line) in String(decoding: body, as: UTF8.self).split(separator: "\n").enumerated() {
                let fields = line.split(separator: " ")
                guard fields.count == header.model.embeddingSize + 1, let label = Int32(fields[0]) else {
                    throw refuse("training line \(number + 1) is not a class and \(header.model.embeddingSize) values")
                }
                let values = fields.dropFirst().compactMap { Float($0) }
                guard values.count == header.model.embeddingSize else { throw refuse("training line \(number + 1) holds a non-number") }
                named.append(label)
                vectors += values
            }
            do {
                let set = try TrainingSet(names: header.names, vectors: vectors, labels: named, dimension: header.model.embeddingSize)
                classifier = .knn(try NearestNeighbours(training: set, k: k))
            } catch let error as UserError {
                throw refuse(error.message)
            }
        }
        do {
            try self.init(names: header.names, model: header.model, classifier: classifier, path: path)
        } catch let error as UserError {
            throw refuse(error.message)
        }
    }

    /// Refuses a classifier trained on another model's embeddings: they live in another space.
    public func checkMatches(_ fingerprint: ModelFingerprint) throws {
        guard fingerprint != model else { return }
        func describe(_ m: ModelFingerprint) -> String {
            "\(m.name), \(m.embeddingSize)-D, \(m.imageSize) px \(m.preprocessing), weights sha256 \(m.weightsSHA256.prefix(12))"
        }
        throw UserError(
            "\(path ?? "the classifier") was trained on embeddings of another model (\(describe(model))); this model is "
                + "\(describe(fingerprint)): train a classifier with this model, or pass the classifier's model with --model")
    }

    public func predict(_ embedding: [Float]) throws -> ClassPrediction { try classifier.predict(embedding) }
}
