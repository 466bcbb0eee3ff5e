import ArgumentParser
import Foundation
import Gallery
import Recognition
import Support

/// `facenet enroll PHOTOS --gallery G.db` or `facenet enroll --name NAME PHOTO... --gallery G.db`
struct EnrollCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Add people to a gallery: detect, crop and embed their photos, store the embeddings.",
        discussion: """
            PHOTOS is a folder of <identity>/<image> photos, or with --name the photos of one person. The gallery \
            is created if it does not exist. A photo already enrolled for that person (same SHA-256) is skipped; \
            --replace replaces a person's faces. A photo with several faces is refused unless --largest. Faces \
            are gated on size, detection score and sharpness (docs/recognition.md). Photos are committed a few \
            at a time, so an interrupted enroll keeps what it committed and a rerun completes it. Exit status 3 \
            when some photos were skipped (each reported).
            """
    )

    @Argument(help: "A folder of <identity>/<image> photos, or (with --name) photo files.")
    var photos: [String]

    @Option(help: "Enroll the photos given as one person of this name.")
    var name: String?

    @OptionGroup var galleryOption: GalleryOption

    @Flag(help: "Enroll the largest, most central face of a photo with several.")
    var largest = false

    @Flag(help: "Replace each person's earlier faces.")
    var replace = false

    @Option(help: "Smallest face to enroll: the shorter side of the box, in pixels.")
    var minEnrollSize: Double = QualityGate().minimumFaceSize

    @Option(help: "Lowest MTCNN detection score to enroll.")
    var minScore: Double = QualityGate().minimumScore

    @Option(help: "Lowest sharpness (variance of the Laplacian of the crop) to enroll.")
    var minSharpness: Double = QualityGate().minimumSharpness

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        if name == nil && photos.count != 1 {
            throw ValidationError("give one folder of <identity>/<image> photos, or --name NAME with photo files")
        }
        for (option, value) in [("--min-enroll-size", minEnrollSize), ("--min-score", minScore), ("--min-sharpness", minSharpness)]
        where !value.isFinite || value < 0 {
            throw ValidationError("\(option) must be a number >= 0, got \(value)")
        }
        if minScore > 1 { throw ValidationError("--min-score must be at most 1, got \(minScore)") }
    }

    func run() throws {
        let people: [EnrollJob.Person]
        if let name {
            people = [EnrollJob.Person(name: name, photos: photos)]
            for photo in photos { try InputFile.file(photo, what: "photo") }
        } else {
            people = try EnrollJob.people(inFolder: photos[0])
        }
        if galleryOption.address.isFile {
            try OutputCheck.file(
                NamedPath("--gallery", galleryOption.gallery),
                inputs: photos.map { NamedPath("PHOTOS", $0) } + [pipelineOptions.modelOptions.input])
        }
        var job = EnrollJob(people: people)
        job.largest = largest
        job.replace = replace
        job.gate.minimumFaceSize = minEnrollSize
        job.gate.minimumScore = minScore
        job.gate.minimumSharpness = minSharpness
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        let (gallery, created) = try galleryOption.address.openingOrCreating(
            model: fingerprint, threshold: OpenSetDefaults.stored, accepting: { try fingerprint.checkMatches($0, of: galleryOption.name) })
        if created { print("enroll: created \(galleryOption.name)") }
        let report = try job.run(pipeline: pipeline, gallery: gallery)
        print(
            String(
                format: "enroll: %d faces enrolled, %d photos already enrolled, %d rejected, %d failed in %.1f s -> %@",
                report.enrolled, report.alreadyEnrolled, report.rejected.count, report.failed.count, report.seconds,
                galleryOption.name))
        if report.skipped > 0 { throw ExitCode(ExitStatus.someSkipped) }
    }
}
