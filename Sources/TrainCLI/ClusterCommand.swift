import ArgumentParser
import Clustering
import Embedding
import Foundation
import Recognition
import Support
import Vision

extension ClusteringAlgorithm: ExpressibleByArgument {}
extension PhotoFacesJob.Faces: ExpressibleByArgument {}

/// `facenet cluster ALIGNED_DIR --out DIR`, `facenet cluster PHOTOS_DIR --detect all --out DIR` or
/// `facenet cluster --embeddings E.h5 --out DIR`
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Group faces (aligned crops, or found in photos) by person: Chinese whispers or DBSCAN over embedding distances.",
        discussion: """
            The input is aligned face crops (as facenet align writes them: <identity>/<image>, or a flat folder \
            of images), embedded with the model; or, with --detect, photos, whose faces are found with MTCNN and \
            cropped as facenet align and identify do (--detect all: every face, each a row of clusters.csv with \
            its index and box; --detect main: the one face align would keep); or the embeddings file of \
            facenet embed. Faces are compared by \
            the squared L2 distance of their L2-normalised embeddings (facenet eval's metric). The output folder \
            gets one folder per cluster, cluster_0001/ (the largest) onwards, and noise/ (DBSCAN's unclustered \
            faces), of symbolic links to the images, and clusters.csv (path,cluster,size). With identity \
            folders (or an embeddings file, which records them) the pairwise precision, recall and F1 against \
            them are printed (with --detect, for --detect main only: the folder names one person per photo, \
            not per face).

            Default thresholds (squared distance), chosen on the 1,522 LFW people with 2-9 photos and measured on \
            the 158 with at least 10 (docs/recognition.md, "Clustering"): chinese-whispers \
            \(ClusteringAlgorithm.chineseWhispers.defaultThreshold), dbscan \
            \(ClusteringAlgorithm.dbscan.defaultThreshold) with --min-samples 1. LFW's pair-verification \
            threshold (1.18) merges people when used for clustering.
            """
    )

    @Argument(help: "Aligned faces (photos with --detect): <identity>/<image> files, or a flat folder of images.")
    var directory: String?

    @Option(help: "The images are photos: cluster every face found in them (all) or each photo's main face (main).")
    var detect: PhotoFacesJob.Faces?

    @Option(help: "Cluster the faces of this embeddings file (facenet embed's layout) instead of a folder.")
    var embeddings: String?

    @Option(help: "Output folder: cluster_NNNN/ and noise/ folders of links, and clusters.csv.")
    var out: String

    @Option(help: "chinese-whispers (Biemann 2006, as dlib) or dbscan (Ester et al. 1996, as scikit-learn).")
    var algorithm: ClusteringAlgorithm = .chineseWhispers

    @Option(
        help: """
            Squared distance: faces closer than this are joined (chinese-whispers), DBSCAN's eps (dbscan). \
            Default: the algorithm's measured default.
            """)
    var threshold: Double?

    @Option(help: "dbscan: neighbours within eps, the face itself included, that make a face a core face.")
    var minSamples: Int = DBSCAN.defaultMinSamples

    @Option(help: "chinese-whispers: passes over all faces (dlib's default).")
    var iterations: Int = ChineseWhispers.defaultIterations

    @Option(help: "chinese-whispers: seed of the order in which faces are visited.")
    var seed: UInt64 = 0

    @Option(help: "Faces per forward pass.")
    var batchSize: Int = 64

    @Option(help: "Threads decoding images ahead of the network.")
    var decodeThreads: Int = 2

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        if (directory == nil) == (embeddings == nil) {
            throw ValidationError("give ALIGNED_DIR or --embeddings FILE (one of them)")
        }
        if detect != nil && directory == nil { throw ValidationError("--detect goes with a folder of photos, not --embeddings") }
        if let threshold, !(threshold.isFinite && threshold > 0) {
            throw ValidationError("--threshold must be a positive squared distance, got \(threshold)")
        }
        if minSamples < 1 { throw ValidationError("--min-samples must be at least 1, got \(minSamples)") }
        if iterations < 1 { throw ValidationError("--iterations must be at least 1, got \(iterations)") }
    }

    func run() throws {
        let input = directory.map { NamedPath("DIRECTORY", $0) } ?? NamedPath("--embeddings", embeddings!)
        try OutputCheck.folder(
            NamedPath("--out", out), writes: [ClusterFolder.csvName] + (detect == nil ? [] : [Self.journalName]),
            inputs: [input] + (directory == nil ? [] : [pipelineOptions.modelOptions.input]))
        try pipelineOptions.runtime.apply()
        let (faces, labelNames, skipped) = try detect.map { try facesOfPhotos($0) } ?? faces()

        var settings = ClusteringSettings(algorithm: algorithm, threshold: threshold)
        settings.minSamples = minSamples
        settings.iterations = iterations
        settings.seed = seed
        let job = ClusterJob(settings: settings, output: ClusterFolder(path: out))
        let report = try job.run(faces)

        let clusters = report.clusters
        let singletons = clusters.members.filter { $0.count == 1 }.count
        print(
            "\(clusters.count) clusters (\(singletons) of one face) of \(clusters.labels.count) faces, "
                + "\(clusters.noise.count) noise; \(algorithm.rawValue), threshold \(settings.threshold) -> \(out)")
        if let scores = report.scores {
            print(
                String(
                    format: "pairwise precision %.4f recall %.4f F1 %.4f against %d identities",
                    scores.precision, scores.recall, scores.f1, labelNames.count))
        }
        if !skipped.isEmpty {
            for failure in skipped { print("skipped \(failure.path): \(failure.reason)") }
            throw ExitCode(ExitStatus.someSkipped)
        }
    }

    typealias Input = (faces: ClusterJob.Faces, labelNames: [String], skipped: [(path: String, reason: String)])

    /// The embeddings of aligned crops or of an embeddings file, and the images that could not be embedded.
    func faces() throws -> Input {
        let file: EmbeddingFile
        var skipped: [(path: String, reason: String)] = []
        if let embeddings {
            try InputFile.file(embeddings, what: "the embeddings file")
            file = try EmbeddingFile.read(from: embeddings)
        } else {
            var job = EmbedJob(root: directory!)
            job.acceptsFlatFolder = true
            job.batchSize = batchSize
            job.decodeThreads = decodeThreads
            let embedder = try pipelineOptions.modelOptions.embedder(pipelineOptions.precision)
            let (embedded, report) = try job.embeddings(embedder: embedder)
            file = embedded
            skipped = report.failed
        }
        return (ClusterJob.Faces(file), file.labelNames, skipped)
    }

    /// Where `--detect` records the faces found so far, in the output folder, so that a rerun resumes.
    static let journalName = "faces.jsonl"

    /// The faces found in the photos under `directory`; identities (the photos' first folder) only for one
    /// face per photo, when every photo lies in a folder of its person. The faces are journalled in the
    /// output folder as they are found (PhotoFacesJournal): a rerun after an interruption detects only the
    /// photos not yet done, and clusters the same faces in the same order as an uninterrupted run.
    func facesOfPhotos(_ which: PhotoFacesJob.Faces) throws -> Input {
        let root = directory!
        let photos = try PhotoList.expand([root])
        guard !photos.isEmpty else { throw UserError("\(root) holds no image files (\(ImageFolder.imageExtensions.sorted().joined(separator: ", ")))") }
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var settings = try pipelineOptions.settings(of: pipeline, fingerprint: fingerprint)
        settings["detect"] = which.rawValue
        settings["photos"] = URL(fileURLWithPath: root).standardizedFileURL.path  // the journal's paths are relative to it
        let journal = try PhotoFacesJournal(path: (out as NSString).appendingPathComponent(Self.journalName), settings: settings)
        if let reason = journal.restartReason { print("cluster: \(journal.path) not resumed: \(reason); detecting afresh") }
        let base = String((root as NSString).appendingPathComponent("x").dropLast())  // root with one trailing slash
        let relative = { (photo: String) in photo.hasPrefix(base) ? String(photo.dropFirst(base.count)) : photo }
        let report = try journal.complete(photos, relative: relative, faces: which, pipeline: pipeline, label: "cluster") { print($0) }

        var paths: [String] = []
        var embeddings: [Float] = []
        var locations: [FaceLocation] = []
        var withoutFace: [String] = []
        for photo in photos {
            guard let found = journal.photos[relative(photo)] else { continue }  // could not be read: reported below
            if found.faces.isEmpty { withoutFace.append(photo) }
            for face in found.faces {
                paths.append(found.path)
                embeddings += face.embedding
                locations.append(FaceLocation(face: face.face, box: (face.box[0], face.box[1], face.box[2], face.box[3])))
            }
        }
        let folders = paths.map { $0.split(separator: "/").count > 1 ? String($0.split(separator: "/")[0]) : nil }
        var names: [String] = []
        var identities: [Int]?
        if which == .main, !folders.isEmpty, folders.allSatisfy({ $0 != nil }) {
            names = Array(Set(folders.compactMap { $0 })).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            identities = folders.map { index[$0!]! }
        }
        let faces = ClusterJob.Faces(
            root: root, paths: paths, embeddings: embeddings, dimension: pipeline.embedder.description.embeddingSize,
            identities: identities, locations: locations)
        let skipped = report.failed + withoutFace.map { (path: $0, reason: "no face found") }
        return (faces, names, skipped)
    }
}

extension ClusterJob.Faces {
    /// The faces of an embeddings file; identities only when it has them (not a flat folder's).
    init(_ file: EmbeddingFile) {
        let identities = file.labelNames.isEmpty ? nil : file.labels.map { Int($0) }
        self.init(
            root: file.root, paths: file.paths, embeddings: file.embeddings, dimension: file.dimension,
            identities: identities)
    }
}
