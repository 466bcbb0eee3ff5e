import ArgumentParser
import Foundation
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

    /// The pipeline and the fingerprint of its model (the SHA-256 of the weights file), for the commands that
    /// check a gallery or classifier against the model.
    func pipeline() throws -> (FacePipeline, ModelFingerprint) {
        let pipeline = try facePipeline()
        return (pipeline, try ModelFingerprint(embedder: pipeline.embedder, weightsFile: modelOptions.input.path))
    }

    /// What the faces a pipeline makes depend on (a resumable job's journal is resumed only when they are
    /// equal): the model's fingerprint, the precision, the crop margin and the detector's settings.
    func settings(of pipeline: FacePipeline, fingerprint: ModelFingerprint) throws -> [String: String] {
        let d = detectorArguments
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same text for the same fingerprint, run after run
        return [
            "model": String(decoding: try encoder.encode(fingerprint), as: UTF8.self),
            "precision": pipeline.embedder.precision.rawValue, "margin": "\(pipeline.margin)",
            "detector": "min-face-size \(d.minFaceSize), thresholds \(d.thresholds), factor \(d.factor), detect-max-side \(d.detectMaxSide)",
        ]
    }

    /// The pipeline alone, for commands with nothing to check the model against (verify, cluster): the
    /// weights file is not read a second time to be hashed.
    func facePipeline() throws -> FacePipeline {
        try runtime.apply()
        let pipeline = FacePipeline(detector: try detectorArguments.detector(), embedder: try modelOptions.embedder(precision))
        pipeline.margin = margin
        return pipeline
    }
}

/// `--gallery G.db` or `--gallery postgres://USER@HOST:PORT/DATABASE`.
struct GalleryOption: ParsableArguments {
    @Option(
        help: """
            The gallery: an SQLite file (docs/formats.md), or a PostgreSQL database that several services share, \
            postgres://USER@HOST:PORT/DATABASE (password from the URL or PGPASSWORD; docs/recognition.md).
            """)
    var gallery: String

    func validate() throws {
        do { _ = try GalleryAddress(gallery) } catch let error as UserError { throw ValidationError(error.message) }
    }

    /// The parsed `--gallery` (`validate()` has refused a URL that does not parse before any command runs).
    var address: GalleryAddress { (try? GalleryAddress(gallery)) ?? .file(gallery) }

    /// The file among a command's inputs, for the overlap checks (a database is no file).
    var inputs: [NamedPath] { address.isFile ? [NamedPath("--gallery", gallery)] : [] }

    /// How messages name the gallery: a URL without its password.
    var name: String { address.description }

    /// Opens the gallery to change it.
    func open() throws -> any GalleryStore { try address.open() }

    /// Opens the gallery to read it only: nothing in it changes.
    func read() throws -> any GalleryStore { try address.open(readOnly: true) }
}
