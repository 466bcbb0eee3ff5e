import ArgumentParser
import Foundation
import Gallery
import Recognition
import Support

/// `facenet identify PHOTO_OR_DIR... --gallery G.db`
struct IdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Name every face in photos from a gallery, or say 'unknown'.",
        discussion: """
            Prints one JSON line per face (docs/recognition.md): path, box, landmarks, name or "unknown", the \
            nearest identity's distance (eval's squared L2) and cosine, the open-set score, the threshold with \
            its origin, a confidence and the top-k identities. The threshold is the gallery's (set by \
            `facenet gallery calibrate`, or the measured default) unless --threshold is given. Photos that \
            cannot be read are reported on stderr and skipped (exit status 3).
            """
    )

    @Argument(help: "Photos, or folders searched recursively for photos.")
    var photos: [String]

    @OptionGroup var galleryOption: GalleryOption

    @Option(help: "min: the closest of an identity's faces; mean: the identity's mean embedding.")
    var rule: MatchRule = OpenSetDefaults.rule

    @Option(help: "exact: every face compared; hnsw: FAISS's approximate HNSW graph, for very large galleries.")
    var index: SearchIndexKind = .exact

    @Option(help: "With --index hnsw: the search's beam width (larger: closer to exact, slower).")
    var efSearch: Int = HNSWParameters().efSearch

    @Option(help: "With --index hnsw: links per node of the graph (FAISS's default 32).")
    var hnswM: Int = HNSWParameters().m

    @Option(help: "Override the gallery's threshold (on its score, or on --score).")
    var threshold: Double?

    @Option(help: "With --threshold: the score it applies to (distance, ratio or cohort).")
    var score: OpenSetScore?

    @Option(help: "Identities listed per face.")
    var topK: Int = 3

    @Option(help: "Write each photo with boxes and names drawn into this folder.")
    var annotate: String?

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard (1...100).contains(topK) else { throw ValidationError("--top-k must be in 1...100, got \(topK)") }
        if let threshold, !threshold.isFinite || threshold < 0 {
            throw ValidationError("--threshold must be a number >= 0, got \(threshold)")
        }
        if score != nil && threshold == nil { throw ValidationError("--score goes with --threshold") }
        try usageCheck { try hnswParameters.validate() }
    }

    var hnswParameters: HNSWParameters { HNSWParameters(m: hnswM, efSearch: efSearch) }

    func searchIndex(_ gallery: GalleryDatabase) throws -> any FaceSearch {
        switch index {
        case .exact: return try GalleryIndex(gallery)
        case .hnsw: return try ApproximateIndex(gallery, parameters: hnswParameters)
        }
    }

    func run() throws {
        let files = try PhotoList.expand(photos)
        if let annotate {
            try OutputCheck.folder(
                NamedPath("--annotate", annotate),
                inputs: photos.map { NamedPath("PHOTO_OR_DIR", $0) } + [galleryOption.input])
        }
        let gallery = try galleryOption.read()
        let stored = try ThresholdInUse(try gallery.threshold(), gallery: gallery.path)
        let inUse =
            threshold.map {
                ThresholdInUse(score: score ?? stored.score, value: $0, origin: "--threshold on the command line")
            } ?? stored
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        try fingerprint.checkMatches(gallery)
        let index = try searchIndex(gallery)
        guard index.faceCount > 0 else {
            throw UserError("\(gallery.path) holds no faces: enroll people first (facenet enroll)")
        }
        var job = IdentifyJob(photos: files, threshold: inUse)
        job.rule = rule
        job.topK = topK
        job.annotateDirectory = annotate
        let report = try job.run(pipeline: pipeline, index: index) { result in
            print(ResultJSON.identification(result, threshold: inUse, rule: rule).compact())
        }
        FileHandle.standardError.write(
            Data(
                String(
                    format: "identify: %d faces in %d photos (%d named, %d unknown), %d without a face, %d failed; %.1f s, %.1f photos/s\n",
                    report.faces, report.photos, report.known, report.faces - report.known, report.withoutFace.count,
                    report.failed.count, report.seconds, report.seconds > 0 ? Double(files.count) / report.seconds : 0
                ).utf8))
        if !report.failed.isEmpty { throw ExitCode(ExitStatus.someSkipped) }
    }
}
