import ArgumentParser
import Clustering
import Embedding
import Foundation
import Support

extension ClusteringAlgorithm: ExpressibleByArgument {}

/// `facenet cluster ALIGNED_DIR --out DIR` or `facenet cluster --embeddings E.h5 --out DIR`
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Group aligned faces by person: Chinese whispers or DBSCAN over embedding distances.",
        discussion: """
            The input is aligned face crops (as facenet align writes them: <identity>/<image>, or a flat folder \
            of images), embedded with the model, or the embeddings file of facenet embed. Faces are compared by \
            the squared L2 distance of their L2-normalised embeddings (facenet eval's metric). The output folder \
            gets one folder per cluster, cluster_0001/ (the largest) onwards, and noise/ (DBSCAN's unclustered \
            faces), of symbolic links to the images, and clusters.csv (path,cluster,size). With identity \
            folders (or an embeddings file, which records them) the pairwise precision, recall and F1 against \
            them are printed.

            Default thresholds (squared distance), chosen on the 265 LFW people with 5-9 photos and measured on \
            the 158 with at least 10 (docs/recognition.md, "Clustering"): chinese-whispers \
            \(ClusteringAlgorithm.chineseWhispers.defaultThreshold), dbscan \
            \(ClusteringAlgorithm.dbscan.defaultThreshold) with --min-samples 1. LFW's pair-verification \
            threshold (1.18) merges people when used for clustering.
            """
    )

    @Argument(help: "Aligned faces: <identity>/<image> files, or a flat folder of images.")
    var directory: String?

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

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precision: PrecisionOption
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        if (directory == nil) == (embeddings == nil) {
            throw ValidationError("give ALIGNED_DIR or --embeddings FILE (one of them)")
        }
        if let threshold, !(threshold.isFinite && threshold > 0) {
            throw ValidationError("--threshold must be a positive squared distance, got \(threshold)")
        }
        if minSamples < 1 { throw ValidationError("--min-samples must be at least 1, got \(minSamples)") }
        if iterations < 1 { throw ValidationError("--iterations must be at least 1, got \(iterations)") }
    }

    func run() throws {
        let input = directory.map { NamedPath("DIRECTORY", $0) } ?? NamedPath("--embeddings", embeddings!)
        try OutputCheck.folder(
            NamedPath("--out", out), writes: [ClusterFolder.csvName],
            inputs: [input] + (directory == nil ? [] : [modelOptions.input]))
        try runtime.apply()
        let (file, skipped) = try faces()

        var settings = ClusteringSettings(algorithm: algorithm, threshold: threshold)
        settings.minSamples = minSamples
        settings.iterations = iterations
        settings.seed = seed
        let job = ClusterJob(settings: settings, output: ClusterFolder(path: out))
        let report = try job.run(ClusterJob.Faces(file))

        let clusters = report.clusters
        let singletons = clusters.members.filter { $0.count == 1 }.count
        print(
            "\(clusters.count) clusters (\(singletons) of one face) of \(clusters.labels.count) faces, "
                + "\(clusters.noise.count) noise; \(algorithm.rawValue), threshold \(settings.threshold) -> \(out)")
        if let scores = report.scores {
            print(
                String(
                    format: "pairwise precision %.4f recall %.4f F1 %.4f against %d identities",
                    scores.precision, scores.recall, scores.f1, file.labelNames.count))
        }
        if !skipped.isEmpty {
            for failure in skipped { print("skipped \(failure.path): \(failure.reason)") }
            throw ExitCode(ExitStatus.someSkipped)
        }
    }

    /// The embeddings of the input, and the images that could not be embedded.
    func faces() throws -> (EmbeddingFile, [(path: String, reason: String)]) {
        if let embeddings {
            try InputFile.file(embeddings, what: "the embeddings file")
            return (try EmbeddingFile.read(from: embeddings), [])
        }
        var job = EmbedJob(root: directory!)
        job.acceptsFlatFolder = true
        job.batchSize = batchSize
        job.decodeThreads = decodeThreads
        let (file, report) = try job.embeddings(embedder: try modelOptions.embedder(precision))
        return (file, report.failed)
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
