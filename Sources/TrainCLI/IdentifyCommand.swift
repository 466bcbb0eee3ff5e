import ArgumentParser
import Foundation
import Gallery
import Recognition
import Support
import Vision

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

            With --video FILE (or --camera N): faces are detected every --detect-every frames, followed \
            between detections by box overlap, and identified on their detection frames; a track's name is \
            the vote of those frames. One JSON line per frame ("frame") and one per track when it ends \
            ("track": name, first and last frame, votes, identity switches); frames per second at the end. \
            --annotate then names the video to write (.mp4, .m4v, .mov or .avi).
            """
    )

    @Argument(help: "Photos, or folders searched recursively for photos (none with --video or --camera).")
    var photos: [String] = []

    @Option(help: "Identify the faces of a video file, tracked between detections.")
    var video: String?

    @Option(help: "Identify the faces seen by camera N (/dev/videoN) until Ctrl-C. Untested here: no camera.")
    var camera: Int?

    @Option(help: "With --video or --camera: detect faces on every N-th frame (tracks carry the others).")
    var detectEvery: Int = VideoIdentifyJob.defaultDetectEvery

    @OptionGroup var galleryOption: GalleryOption

    @Option(
        help: """
            min: the closest of an identity's faces; mean: the identity's mean embedding. Default: the rule the \
            gallery's threshold was set for (another needs --threshold, or a calibration for it).
            """)
    var rule: MatchRule?

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

    @Option(help: "Write each photo with boxes and names drawn into this folder (with --video: this video file).")
    var annotate: String?

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard (1...100).contains(topK) else { throw ValidationError("--top-k must be in 1...100, got \(topK)") }
        if let threshold, !threshold.isFinite || threshold < 0 {
            throw ValidationError("--threshold must be a number >= 0, got \(threshold)")
        }
        if score != nil && threshold == nil { throw ValidationError("--score goes with --threshold") }
        let sources = (photos.isEmpty ? 0 : 1) + (video == nil ? 0 : 1) + (camera == nil ? 0 : 1)
        guard sources == 1 else {
            throw ValidationError(sources == 0 ? "give photos, --video FILE or --camera N" : "give photos, --video or --camera, not several")
        }
        guard (1...1000).contains(detectEvery) else { throw ValidationError("--detect-every must be in 1...1000, got \(detectEvery)") }
        if let camera, !(0...63).contains(camera) { throw ValidationError("--camera must be in 0...63, got \(camera)") }
        try usageCheck { try hnswParameters.validate() }
    }

    var hnswParameters: HNSWParameters { HNSWParameters(m: hnswM, efSearch: efSearch) }

    func searchIndex(_ gallery: any GalleryStore) throws -> any FaceSearch {
        switch index {
        case .exact: return try GalleryIndex(gallery)
        case .hnsw: return try ApproximateIndex(gallery, parameters: hnswParameters)
        }
    }

    /// The pipeline, the gallery's search index and the threshold in use (the gallery's, or --threshold).
    func openGallery() throws -> (FacePipeline, any FaceSearch, ThresholdInUse) {
        let gallery = try galleryOption.read()
        let stored = try ThresholdInUse(try gallery.threshold(), gallery: gallery.location)
        var inUse = threshold.map { stored.with(value: $0, origin: "--threshold on the command line") } ?? stored
        if let score { inUse.score = score }  // validate() allows --score only with --threshold
        if let rule, rule != stored.rule {
            guard threshold != nil else {
                throw UserError(
                    "--rule \(rule.rawValue): \(gallery.location)'s threshold (\(stored.score.rawValue) \(stored.value)) was set for the rule "
                        + "\(stored.rule.rawValue); calibrate one for \(rule.rawValue) (facenet gallery calibrate --rule \(rule.rawValue)) or give --threshold")
            }
            inUse.rule = rule
        }
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        try fingerprint.checkMatches(gallery)
        let index = try searchIndex(gallery)
        guard index.faceCount > 0 else {
            throw UserError("\(gallery.location) holds no faces: enroll people first (facenet enroll)")
        }
        return (pipeline, index, inUse)
    }

    func runVideo() throws {
        if let annotate {
            try OutputCheck.file(
                NamedPath("--annotate", annotate),
                inputs: (video.map { [NamedPath("--video", $0)] } ?? []) + galleryOption.inputs)
        }
        let reader = try video.map { try VideoReader(path: $0) } ?? VideoReader(camera: camera!)
        let (pipeline, index, inUse) = try openGallery()
        let writer = try annotate.map {
            try VideoWriter(path: $0, width: reader.width, height: reader.height, frameRate: reader.frameRate)
        }
        var job = VideoIdentifyJob(threshold: inUse)
        job.topK = topK
        job.detectEvery = detectEvery
        StopSignal.install()
        let report = try job.run(
            video: reader, pipeline: pipeline, index: index, annotate: writer, shouldStop: { StopSignal.requested }
        ) { event in
            switch event {
            case .frame(let index, let time, let detected, let faces):
                print(ResultJSON.videoFrame(index: index, time: time, detected: detected, faces: faces).compact())
            case .trackEnded(let summary):
                print(ResultJSON.videoTrack(summary, frameRate: reader.frameRate, threshold: inUse).compact())
            }
        }
        FileHandle.standardError.write(
            Data(
                String(
                    format: "identify: %d frames (%d with detection, every %d), %d tracks, %d identity switches; %.1f s, %.1f frames/s\n",
                    report.frames, report.detectionFrames, detectEvery, report.tracks, report.switches, report.seconds,
                    report.framesPerSecond
                ).utf8))
        if let signal = StopSignal.signal { throw ExitCode(ExitStatus.interrupted(by: signal)) }
        if report.frames == 0 { throw UserError("\(reader.source): holds no frame that can be decoded") }
        if let missing = report.missingFrames, missing > 0 {
            throw UserError(
                "\(reader.source): the decoder stopped after \(report.frames) of the \(report.frames + missing) frames the file states (truncated or damaged); the results above cover the frames read")
        }
    }

    func run() throws {
        if video != nil || camera != nil { return try runVideo() }
        let files = try PhotoList.expand(photos)
        if let annotate {
            try OutputCheck.folder(
                NamedPath("--annotate", annotate),
                inputs: photos.map { NamedPath("PHOTO_OR_DIR", $0) } + galleryOption.inputs)
        }
        let (pipeline, index, inUse) = try openGallery()
        var job = IdentifyJob(photos: files, threshold: inUse)
        job.topK = topK
        job.annotateDirectory = annotate
        let report = try job.run(pipeline: pipeline, index: index) { result in
            print(ResultJSON.identification(result, threshold: inUse).compact())
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
