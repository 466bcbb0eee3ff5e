import ArgumentParser
import Classifier
import Foundation
import Gallery
import Recognition
import Support
import Vision

extension ClassifierKind: ExpressibleByArgument {}

/// `facenet classify train|predict`: a closed-set classifier over embeddings (docs/recognition.md, Classify).
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Train a classifier (liblinear logistic regression or kNN) on embeddings, and name faces with it.",
        subcommands: [ClassifyTrainCommand.self, ClassifyPredictCommand.self]
    )
}

/// The defaults of `facenet classify` (docs/recognition.md, Classify).
enum ClassifyDefaults {
    /// Below this best-class probability a face is `unknown`. 0.5: the best class must be more likely than all
    /// the others together (on the 5-celebrity split every correct validation face of both kinds is above it).
    static let minProbability = 0.5
    static let topCount = 3
}

/// `facenet classify train (PHOTOS_DIR | --gallery G.db) -o C.model`
struct ClassifyTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier on <identity>/<image> photos (main face of each) or on a gallery's faces.",
        discussion: """
            From PHOTOS_DIR every photo is detected and cropped as enroll does and its main face (the largest, \
            most central, as align keeps) is embedded: a photo of one labelled person is taken to show that \
            person the most prominently. From --gallery the enrolled embeddings are used as they are. \
            --kind linear: liblinear's L2-regularised logistic regression (C as scikit-learn's default 1); knn: \
            the k nearest embeddings vote. Exit status 3 when photos were skipped (each reported).
            """
    )

    @Argument(help: "A folder of <identity>/<image> photos.")
    var photosDir: String?

    @Option(help: "Train on this gallery's embeddings instead of photos.")
    var gallery: String?

    @Option(name: .shortAndLong, help: "The classifier file to write (docs/formats.md).")
    var output: String

    @Option(help: "linear (liblinear logistic regression) or knn.")
    var kind: ClassifierKind = .linear

    @Option(help: "linear: inverse regularisation strength (scikit-learn's default).")
    var c: Double = LinearClassifier.defaultC

    @Option(help: "knn: neighbours that vote (scikit-learn's default).")
    var k: Int = NearestNeighbours.defaultK

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        if photosDir == nil && gallery == nil { throw ValidationError("give PHOTOS_DIR (<identity>/<image> photos) or --gallery G.db") }
        if photosDir != nil && gallery != nil { throw ValidationError("give PHOTOS_DIR or --gallery G.db, not both") }
        guard c.isFinite, c > 0 else { throw ValidationError("--c must be a number > 0, got \(c)") }
        guard k >= 1 else { throw ValidationError("--k must be at least 1, got \(k)") }
    }

    func run() throws {
        let inputs = [photosDir.map { NamedPath("PHOTOS_DIR", $0) }, gallery.map { NamedPath("--gallery", $0) }].compactMap { $0 }
        try OutputCheck.file(NamedPath("--output", output), inputs: inputs + [pipelineOptions.modelOptions.input])
        let set: TrainingSet
        let fingerprint: ModelFingerprint
        var skipped = 0
        if let gallery {
            let database = try GalleryAddress(gallery).open(readOnly: true)
            fingerprint = database.model
            set = try TrainingSet(gallery: database)
        } else {
            let root = photosDir!
            let people = try EnrollJob.people(inFolder: root).filter { !$0.photos.isEmpty }
            guard people.count >= 2 else {
                throw UserError("\(root) holds \(people.count) identity folders with photos: a classifier needs <identity>/<image> photos of at least 2 people")
            }
            let identity = Dictionary(uniqueKeysWithValues: people.flatMap { p in p.photos.map { ($0, p.name) } })
            let (pipeline, model) = try pipelineOptions.pipeline()
            fingerprint = model
            var named: [(name: String, vector: [Float])] = []
            let report = try PhotoFacesJob(photos: people.flatMap(\.photos), faces: .main).run(pipeline: pipeline, label: "classify train") {
                named.append((identity[$0.path]!, $0.embeddings[0]))
            }
            skipped = report.failed.count + report.withoutFace.count
            set = try TrainingSet(named: named)
        }
        let classifier: TrainedClassifier =
            switch kind {
            case .linear: .linear(try LinearClassifier(training: set, c: c))
            case .knn: .knn(try NearestNeighbours(training: set, k: k))
            }
        try ClassifierFile(names: set.names, model: fingerprint, classifier: classifier).write(to: output)
        print("classify train: \(kind.rawValue) on \(set.count) faces of \(set.names.count) identities, \(skipped) photos skipped -> \(output)")
        if skipped > 0 { throw ExitCode(ExitStatus.someSkipped) }
    }
}

/// `facenet classify predict PHOTOS --classifier C.model`
struct ClassifyPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Name every face in photos with a classifier, or say 'unknown'.",
        discussion: """
            Prints one JSON line per face (docs/recognition.md): path, box, landmarks, detection score, name or \
            "unknown" (best probability below --min-probability), that probability and the top classes. Photos \
            that cannot be read or hold no face are reported on stderr (exit status 3).
            """
    )

    @Argument(help: "Photos, or folders searched recursively for photos.")
    var photos: [String]

    @Option(help: "The classifier file (facenet classify train).")
    var classifier: String

    @Option(help: "Below this probability of the best class a face is 'unknown'.")
    var minProbability: Double = ClassifyDefaults.minProbability

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard minProbability.isFinite, (0...1).contains(minProbability) else {
            throw ValidationError("--min-probability must be in 0...1, got \(minProbability)")
        }
    }

    func run() throws {
        let files = try PhotoList.expand(photos)
        let model = try ClassifierFile(reading: classifier)
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        try model.checkMatches(fingerprint)
        let report = try PhotoFacesJob(photos: files, faces: .all).run(pipeline: pipeline, label: "classify predict") { photo in
            for (index, (face, embedding)) in zip(photo.faces, photo.embeddings).enumerated() {
                let prediction = try model.predict(embedding)
                let best = prediction.best
                let top = prediction.ranked.prefix(ClassifyDefaults.topCount).map { (model.names[$0], prediction.probabilities[$0]) }
                let probability = prediction.probabilities[best]
                let name = probability >= minProbability ? model.names[best] : nil
                print(ResultJSON.classification(path: photo.path, face: face, name: name, probability: probability, top: top, mainFace: index == photo.mainFace).compact())
            }
        }
        if !report.failed.isEmpty || !report.withoutFace.isEmpty { throw ExitCode(ExitStatus.someSkipped) }
    }
}
