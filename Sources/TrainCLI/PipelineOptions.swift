import ArgumentParser
import Gallery
import Recognition
import Support

extension MatchRule: ExpressibleByArgument {}
extension OpenSetScore: ExpressibleByArgument {}
extension SearchIndexKind: ExpressibleByArgument {}

/// The model, detector and threshold settings of the commands that use the model on photos (enroll,
/// identify, verify, gallery calibrate).
struct PipelineOptions: ParsableArguments {
    @Option(help: "Pixels added around the detected box before the crop is resized (as facenet align's --margin).")
    var margin: Double = 32

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precision: PrecisionOption
    @OptionGroup var detectorArguments: DetectorArguments
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard margin.isFinite, (0...1000).contains(margin) else {
            throw ValidationError("--margin must be in 0...1000 pixels, got \(margin)")
        }
    }

    /// The pipeline and the fingerprint of its model (the SHA-256 of the weights file).
    func pipeline() throws -> (FacePipeline, ModelFingerprint) {
        try runtime.apply()
        let embedder = try modelOptions.embedder(precision)
        let pipeline = FacePipeline(detector: try detectorArguments.detector(), embedder: embedder)
        pipeline.margin = margin
        return (pipeline, try ModelFingerprint(embedder: embedder, weightsFile: modelOptions.input.path))
    }
}

/// `--gallery G.db`.
struct GalleryOption: ParsableArguments {
    @Option(help: "Gallery database file (SQLite; docs/formats.md).")
    var gallery: String

    var input: NamedPath { NamedPath("--gallery", gallery) }

    /// Opens the gallery to change it.
    func open() throws -> GalleryDatabase { try GalleryDatabase(opening: gallery) }

    /// Opens the gallery to read it only: nothing in the file changes.
    func read() throws -> GalleryDatabase { try GalleryDatabase(opening: gallery, readOnly: true) }
}
