import Foundation
import Support
import TorchBridge
import Vision

/// `facenet align IN OUT`: every image of a `IN/<identity>/<image>` folder to `OUT/<identity>/<stem>.png`
/// face crops (docs/alignment.md).
///
/// - Records: `OUT/bounding_boxes.txt` gets `path x0 y0 x1 y1 score` per crop (path relative to OUT) and
///   `OUT/failures.csv` gets `path,reason,detail` per image not aligned (path relative to IN). Each image's
///   lines are appended in one write after its PNGs are in place, so they are the job's commit point.
/// - Resume: an image with a record in either file is done and skipped; a killed run leaves no partial
///   PNG (temporary file, then rename) and no partial record line.
/// - Overlap: decoding and the pyramid resampling run on a background thread ahead of the networks.
/// - Large photos: the detector may see a shrunk copy (`DetectorOptions.maxDetectionSide`); its faces come
///   back in source pixels and the crops are cut from the decoded full-resolution image.
public struct AlignJob {
    public enum Mode: String, CaseIterable, Sendable {
        /// davidsandberg's crop: the box plus margin, resized.
        case box
        /// The five landmarks warped onto InsightFace's ArcFace template (`SimilarityTemplate`).
        case similarity
    }

    public static let boxesFileName = "bounding_boxes.txt"
    public static let failuresFileName = "failures.csv"

    public var input: String
    public var output: String
    public var imageSize = 160
    /// Pixels added around the box in the source image (half on each side), `--align box` only.
    public var margin = 32.0
    public var allFaces = false
    public var mode = Mode.box
    public var shard = Shard.all
    /// Images per detector pass (same-size images share P-Net passes; all share R-Net and O-Net passes).
    public var batchSize = 8
    /// A batch is also closed when its images hold this many pixels.
    public var batchPixels = 4_000_000
    /// Log one line per image processed.
    public var verbose = false
    public var pngCompression = 3

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    public struct Report: Sendable {
        /// Images of the shard.
        public var total = 0
        /// Images recorded by an earlier run, skipped.
        public var alreadyDone = 0
        public var aligned = 0
        public var crops = 0
        public var failures: [(path: String, failure: AlignFailure)] = []
        public var seconds = 0.0

        public var processed: Int { aligned + failures.count }
        public var imagesPerSecond: Double { seconds > 0 ? Double(processed) / seconds : 0 }

        public var summary: String {
            var counts: [String: Int] = [:]
            for f in failures { counts[f.failure.reason.rawValue, default: 0] += 1 }
            let reasons = counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
            return String(
                format: "aligned %d of %d images (%d crops), %d failed%@, %d already done; %.1f s, %.1f img/s",
                aligned, processed, crops, failures.count, reasons.isEmpty ? "" : " (\(reasons))", alreadyDone,
                seconds, imagesPerSecond)
        }
    }

    struct Item {
        let position: Int
        /// `identity/file.jpg`, relative to the input folder.
        let source: String
        /// `identity/stem`, relative to the output folder, without extension.
        let key: String
    }

    enum Loaded {
        case ready(Image, PreparedImage)
        case failed(AlignFailure)
    }

    // MARK: bounds

    /// `--image-size`: FaceNet's and ArcFace's inputs are 112 to 299 px; 1024 leaves room for larger
    /// models while one crop stays at 3 MB (100000 would be a 30 GB array, which aborts the process).
    public static let imageSizeRange = 16...1024
    /// `--margin`, source pixels: the crop is clamped to the image, and the decode limit (100 megapixels)
    /// allows no square side above 10,000 px, so half a margin above 10,000 changes nothing.
    public static let marginRange = 0.0...20_000
    /// `--batch-size`: the prefetcher holds batch-size + 2 decoded images (and a batch closes at
    /// `batchPixels` anyway), so more than 256 only costs memory.
    public static let batchSizeRange = 1...256

    /// Throws a `UserError` naming the first option out of its range. `run` calls it before it touches
    /// the file system; the command calls it before anything else.
    public func validate() throws {
        try OptionRange.check("--image-size", imageSize, in: Self.imageSizeRange)
        try OptionRange.check("--margin", margin, in: Self.marginRange)
        try OptionRange.check("--batch-size", batchSize, in: Self.batchSizeRange)
    }

    // MARK: running

    public func run(detector: MTCNNDetector, log: @escaping (String) -> Void = { print($0) }) throws -> Report {
        try validate()
        let all = try items()
        let mine = all.filter { shard.contains($0.position) }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let boxesPath = output + "/" + Self.boxesFileName
        let failuresPath = output + "/" + Self.failuresFileName
        let boxes = try RecordFile(path: boxesPath)
        let failures = try RecordFile(path: failuresPath, header: "path,reason,detail\n")
        let (doneKeys, doneSources) = finished(boxesPath: boxesPath, failuresPath: failuresPath)
        let stale = removeStaleTemporaries(identities: Set(all.map { ($0.key as NSString).deletingLastPathComponent }))
        if stale > 0 { log("align: removed \(stale) temporary file(s) left by a killed run") }

        var report = Report()
        report.total = mine.count
        var todo: [Item] = []
        var owners: [String: String] = [:]  // output key -> source, for collisions
        for item in all {
            if let owner = owners[item.key] {
                if shard.contains(item.position), !doneSources.contains(item.source) {
                    let failure = AlignFailure(.nameCollision, "\(item.source) and \(owner) both map to \(item.key).png")
                    try failures.append(CSV.line([item.source, failure.reason.rawValue, failure.detail]))
                    report.failures.append((item.source, failure))
                }
                continue
            }
            owners[item.key] = item.source
            guard shard.contains(item.position) else { continue }
            if doneKeys.contains(item.key) || doneSources.contains(item.source) {
                report.alreadyDone += 1
            } else {
                todo.append(item)
            }
        }
        log("align: \(all.count) images in \(input), shard \(shard): \(mine.count), already done \(report.alreadyDone), "
            + "to do \(todo.count); \(mode.rawValue) \(imageSize)px" + (mode == .box ? ", margin \(margin)" : "")
            + (allFaces ? ", all faces" : "") + "; \(Torch.threads) libtorch threads")

        let input = self.input
        // The loader builds each image's pyramid with libtorch on its default threads. One thread there
        // (Torch.setThreadsOfThisThread, as the trainer's loader) made no difference beyond the run-to-run
        // spread in bench/align (56.7 and 59.1 img/s against 59.8, 2026-11-25), so it is left alone.
        let prefetcher = Prefetcher<Loaded>(count: todo.count, depth: batchSize + 2) { k in
            Self.load(input + "/" + todo[k].source, detector: detector)
        }
        let progress = Progress(label: "align", total: todo.count)
        var pending: [(item: Item, image: Image, prepared: PreparedImage)] = []
        var pendingPixels = 0

        func record(_ item: Item, _ failure: AlignFailure) throws {
            try failures.append(CSV.line([item.source, failure.reason.rawValue, failure.detail]))
            report.failures.append((item.source, failure))
            if verbose { log("failed \(item.source): \(failure.reason.rawValue): \(failure.detail)") }
            progress.advance()
        }

        func flush() throws {
            guard !pending.isEmpty else { return }
            let results = detectIsolating(pending.map(\.prepared), detector: detector)
            for (entry, result) in zip(pending, results) {
                switch result {
                case .failure(let error):
                    try record(entry.item, AlignFailure(.error, "detection failed: \(error)"))
                case .success(let faces):
                    switch try save(entry.item, image: entry.image, faces: faces, boxes: boxes) {
                    case .failure(let failure):
                        try record(entry.item, failure)
                    case .success(let count):
                        report.aligned += 1
                        report.crops += count
                        if verbose { log("aligned \(entry.item.source): \(count) crop(s) of \(faces.count) face(s)") }
                        progress.advance()
                    }
                }
            }
            pending.removeAll()
            pendingPixels = 0
        }

        for item in todo {
            guard let loaded = prefetcher.nextItem() else { break }
            switch loaded {
            case .failed(let failure):
                try record(item, failure)
            case .ready(let image, let prepared):
                guard prepared.isSearchable else {
                    let shrunk = prepared.copy.isSource ? "" : " (detected at \(prepared.width)x\(prepared.height))"
                    try record(
                        item,
                        AlignFailure(
                            .faceTooSmall,
                            "image \(image.width)x\(image.height)\(shrunk) is smaller than the minimum face size "
                                + "\(detector.options.minFaceSize) px"))
                    continue
                }
                pending.append((item, image, prepared))
                pendingPixels += image.width * image.height
                if pending.count >= batchSize || pendingPixels >= batchPixels { try flush() }
            }
        }
        try flush()
        progress.finish()
        report.seconds = progress.elapsed
        let stages = detector.stageSeconds
        log(String(format: "align: detector time: P-Net %.1f s, R-Net %.1f s, O-Net %.1f s (stages include their crops)",
                   stages[0], stages[1], stages[2]))
        return report
    }

    // MARK: steps

    /// Decodes and prepares one image (on the prefetch thread).
    static func load(_ path: String, detector: MTCNNDetector) -> Loaded {
        let image: Image
        do {
            image = try Image.load(path: path)
        } catch {
            return .failed(AlignFailure(loading: error))
        }
        do {
            return .ready(image, try detector.prepare(image))
        } catch {
            return .failed(AlignFailure(.error, "cannot prepare \(path): \(error)"))
        }
    }

    /// Detects a batch; when the batch fails, each image alone, so one bad image cannot sink the others.
    func detectIsolating(_ images: [PreparedImage], detector: MTCNNDetector) -> [Result<[DetectedFace], Error>] {
        do {
            return try detector.detect(images).map { .success($0) }
        } catch {
            if images.count == 1 { return [.failure(error)] }
            return images.map { image in Result { try detector.detect([image])[0] } }
        }
    }

    /// Writes the crop(s) of one image and then its record lines; the number of crops, or why none.
    func save(_ item: Item, image: Image, faces: [DetectedFace], boxes: RecordFile) throws
        -> Result<Int, AlignFailure>
    {
        guard !faces.isEmpty else { return .failure(AlignFailure(.noFace, "no face found")) }
        let chosen: [Int] =
            allFaces ? Array(faces.indices) : [FaceChoice.pick(faces, imageWidth: image.width, imageHeight: image.height)!]
        var lines = ""
        var written = 0
        for (n, index) in chosen.enumerated() {
            let face = faces[index]
            guard let (crop, rect) = render(image, face) else { continue }
            let name = allFaces ? "\(item.key)_\(n).png" : "\(item.key).png"
            try crop.writePNG(to: output + "/" + name, compression: pngCompression)
            lines += "\(name) \(rect.0) \(rect.1) \(rect.2) \(rect.3) \(String(format: "%.6f", face.score))\n"
            written += 1
        }
        guard written > 0 else {
            return .failure(AlignFailure(.emptyCrop, "the chosen face's crop is empty (box outside the image)"))
        }
        try boxes.append(lines)
        return .success(written)
    }

    /// The output image of one face and the rectangle recorded for it: the integer crop rectangle for
    /// `.box`, the detected box truncated to integers for `.similarity`.
    func render(_ image: Image, _ face: DetectedFace) -> (Image, (Int, Int, Int, Int))? {
        switch mode {
        case .box:
            guard let r = CropRule.rectangle(face.box, margin: margin, imageWidth: image.width, imageHeight: image.height),
                let crop = CropRule.crop(image, box: face.box, margin: margin, imageSize: imageSize)
            else { return nil }
            return (crop, (r.x0, r.y0, r.x1, r.y1))
        case .similarity:
            guard let warped = SimilarityTemplate.warp(image, landmarks: face.landmarks, imageSize: imageSize) else {
                return nil
            }
            let b = face.box
            return (
                warped,
                (CropRule.truncate(Double(b.x1)), CropRule.truncate(Double(b.y1)), CropRule.truncate(Double(b.x2)),
                    CropRule.truncate(Double(b.y2)))
            )
        }
    }

    /// Deletes `*.tmp-<pid>` files in the output identity folders whose writer process is gone (a run
    /// killed between writing a PNG and renaming it); files of live processes (other shards) are kept.
    func removeStaleTemporaries(identities: Set<String>) -> Int {
        identities.reduce(0) { $0 + AtomicFile.removeStaleTemporaries(in: output + "/" + $1).count }
    }

    /// Every image of the input folder in sorted order, with its output key.
    func items() throws -> [Item] {
        var result: [Item] = []
        for identity in try ImageFolder.scan(root: input) {
            for source in identity.imagePaths {
                let stem = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
                result.append(Item(position: result.count, source: source, key: identity.name + "/" + stem))
            }
        }
        guard !result.isEmpty else { throw UserError("\(input) holds no images in <identity>/<image> folders") }
        return result
    }

    /// Output keys recorded in the boxes file and source paths recorded in the failures file.
    func finished(boxesPath: String, failuresPath: String) -> (keys: Set<String>, sources: Set<String>) {
        var keys = Set<String>()
        for line in RecordFile.lines(boxesPath) {
            // `path x0 y0 x1 y1 score`; the path may hold spaces, so split from the right.
            var parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count >= 6 else { continue }
            parts.removeLast(5)
            var name = parts.joined(separator: " ")
            guard name.hasSuffix(".png") else { continue }
            name.removeLast(4)
            if allFaces, let underscore = name.lastIndex(of: "_"),
                !name[name.index(after: underscore)...].isEmpty,
                name[name.index(after: underscore)...].allSatisfy(\.isNumber)
            {
                name = String(name[..<underscore])
            }
            keys.insert(name)
        }
        var sources = Set<String>()
        for line in RecordFile.lines(failuresPath).dropFirst() { sources.insert(CSV.firstField(line)) }
        return (keys, sources)
    }
}
