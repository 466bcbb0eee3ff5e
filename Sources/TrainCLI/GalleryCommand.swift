import ArgumentParser
import Foundation
import Gallery
import Recognition
import Support

/// `facenet gallery list | show | remove | rename | stats | calibrate | export`
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Inspect and manage a gallery: list, show, remove, rename, stats, calibrate, export.",
        subcommands: [
            GalleryList.self, GalleryShow.self, GalleryRemove.self, GalleryRename.self, GalleryStats.self,
            GalleryCalibrate.self, GalleryExportCommand.self, GalleryBenchSearch.self,
        ]
    )
}

struct GalleryList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every identity with its number of faces.")
    @OptionGroup var galleryOption: GalleryOption

    func run() throws {
        for (identity, faces) in try galleryOption.read().identities() { print("\(identity.name)\t\(faces)") }
    }
}

struct GalleryShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "The faces of one identity with their provenance.")
    @Argument(help: "Identity name.") var name: String
    @OptionGroup var galleryOption: GalleryOption

    func run() throws {
        let gallery = try galleryOption.read()
        guard let identity = try gallery.identity(named: name) else {
            throw UserError("\(gallery.location) has no identity named '\(name)'")
        }
        print("\(identity.name): enrolled \(identity.created)")
        for face in try gallery.faces(of: identity) {
            print(
                String(
                    format: "  face %lld: %@ (sha256 %@) box [%.0f, %.0f, %.0f, %.0f] score %.3f sharpness %.1f", face.id ?? 0,
                    face.sourcePath, String(face.sourceSHA256.prefix(12)), face.boxX1, face.boxY1, face.boxX2, face.boxY2,
                    face.detectionScore, face.sharpness))
        }
    }
}

struct GalleryRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a person and every face of theirs (securely deleted from the file).")
    @Argument(help: "Identity name.") var name: String
    @OptionGroup var galleryOption: GalleryOption

    func run() throws {
        try galleryOption.open().remove(name)
        print("removed \(name)")
    }
}

struct GalleryRename: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename an identity.")
    @Argument(help: "Current name.") var old: String
    @Argument(help: "New name.") var new: String
    @OptionGroup var galleryOption: GalleryOption

    func run() throws {
        try galleryOption.open().rename(old, to: new)
        print("renamed \(old) to \(new)")
    }
}

struct GalleryStats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Sizes, the model and the threshold.")
    @OptionGroup var galleryOption: GalleryOption

    func run() throws {
        let gallery = try galleryOption.read()
        let counts = try gallery.identities().map(\.faces)
        let model = gallery.model
        let threshold = try gallery.threshold()
        print("gallery: \(gallery.location)")
        print("identities: \(counts.count), faces: \(counts.reduce(0, +))" + (counts.isEmpty ? "" : ", faces per identity \(counts.min()!)...\(counts.max()!)"))
        print("model: \(model.name), \(model.embeddingSize)-D, \(model.imageSize) px, \(model.preprocessing), weights sha256 \(model.weightsSHA256)")
        let rule = try ThresholdInUse(threshold, gallery: gallery.location).rule.rawValue
        print("threshold: \(threshold.score) \(threshold.value), rule \(rule)\(threshold.rule == nil ? " (not recorded: a gallery from before 2026-12-04)" : "") (\(threshold.origin))")
        print("changes: \(try gallery.changeCounter()), integrity: \(try gallery.integrityCheck())")
    }
}

struct GalleryCalibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Set the gallery's open-set threshold from photos of people not enrolled, at a false-alarm rate.")
    @OptionGroup var galleryOption: GalleryOption
    @Option(parsing: .upToNextOption, help: "Photos of people who are not in the gallery (files or folders).")
    var strangers: [String]
    @Option(help: "Target false-alarm rate: the fraction of strangers that may be given a name.") var far: Double = 0.01
    @Option(help: "min or mean.") var rule: MatchRule = OpenSetDefaults.rule
    @Option(help: "distance, ratio or cohort.") var score: OpenSetScore = OpenSetDefaults.threshold.score
    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard far.isFinite, far >= 0, far < 1 else { throw ValidationError("--far must be in [0, 1), got \(far)") }
    }

    func run() throws {
        let files = try PhotoList.expand(strangers)
        let gallery = try galleryOption.open()
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        try fingerprint.checkMatches(gallery)
        let index = try GalleryIndex(gallery)
        guard index.faceCount > 0 else { throw UserError("\(gallery.location) holds no faces: enroll people first") }
        var job = CalibrateJob(strangers: files, far: far, source: strangers.joined(separator: ", "))
        job.rule = rule
        job.score = score
        let (threshold, result) = try job.run(pipeline: pipeline, index: index) { print($0) }
        try gallery.setThreshold(threshold)
        print(String(format: "calibrate: threshold %@ %.6f accepts %d of %d strangers (%.4f)", threshold.score, threshold.value,
                     Int((result.falseAlarmRate * Double(result.strangers)).rounded()), result.strangers, result.falseAlarmRate))
    }
}

struct GalleryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the embeddings in facenet embed's HDF5 layout (for h5py / NumPy).")
    @OptionGroup var galleryOption: GalleryOption
    @Option(help: "Output HDF5 file.") var h5: String

    func run() throws {
        try OutputCheck.file(NamedPath("--h5", h5), inputs: galleryOption.inputs)
        let count = try GalleryExport.writeH5(try galleryOption.read(), to: h5)
        print("exported \(count) faces to \(h5)")
    }
}
