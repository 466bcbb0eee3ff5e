import ArgumentParser
import Export
import Foundation
import Support

/// `facenet export [--model PATH] --format tflite|onnx --precision fp32|fp16|int8 [--calibration DIR] -o OUT`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a FaceNet model as a .tflite file (LiteRT) or an .onnx file (ONNX Runtime).",
        discussion: """
            The graph takes one prewhitened face, float32 NHWC [1, 160, 160, 3], and returns the L2-normalised \
            embedding [1, 128] (signature 'serving_default': input -> embedding). BatchNorm and the residual scales \
            are folded into the convolutions. Implemented: --format tflite --precision fp32, fp16 (float16 weights \
            and biases, DEQUANTIZE to float32) or int8 (full integer; activation ranges = min/max over \
            --calibration-count faces of --calibration DIR, centre-cropped to the input size; float32 input and \
            output), and --format onnx (fp32, NCHW input with a symbolic batch). --evaluation SUMMARY.json (from \
            facenet eval) puts the LFW accuracy and threshold into the metadata. The choices are checked before \
            the model is loaded, and the file is written to a temporary name and renamed, so a failed or \
            interrupted export leaves no partial file. See docs/export.md.
            """
    )

    @Option(help: "Output format: tflite, or onnx (fp32; input NCHW [batch, 3, 160, 160]).")
    var format: String = "tflite"

    @Option(help: "Numeric precision: fp32, fp16 (float16 weights, float32 compute) or int8 (full integer, calibrated).")
    var precision: String = "fp32"

    @Option(help: "int8: folder of faces (root/<identity>/<image> or flat) whose activations set the ranges.")
    var calibration: String = "../shared/lfw/lfw"

    @Option(help: "int8: how many calibration faces (one identity at a time, sorted).")
    var calibrationCount: Int = 200

    @Option(help: "A facenet eval summary.json of these weights: its accuracy and threshold go into the metadata.")
    var evaluation: String?

    @Option(name: .shortAndLong, help: "Output file.")
    var output: String

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        let (chosenFormat, chosen) = try Exporter.validate(format: format, precision: precision)
        var inputs = [modelOptions.input] + (evaluation.map { [NamedPath("--evaluation", $0)] } ?? [])
        if chosen == .int8 { inputs.append(NamedPath("--calibration", calibration)) }
        try OutputCheck.file(NamedPath("-o", output), inputs: inputs)
        let metadata = try ExportMetadata.entries(precision: chosen, evaluationSummary: evaluation)
        let faces = chosen == .int8 ? try CalibrationFaces(folder: calibration, count: calibrationCount) : nil
        try runtime.apply()
        let network = try modelOptions.load()
        let report =
            switch chosenFormat {
            case .tflite:
                try Exporter.exportTFLite(
                    network, precision: chosen, metadata: metadata, calibration: faces, log: { print($0) }, to: output)
            case .onnx: try ONNXExport.export(network, metadata: metadata, to: output)
            }
        print(
            String(
                format: "exported %@ (%@ %@): %.1f MB, %d operators, %d tensors in %.1f s", report.path, format,
                precision, Double(report.bytes) / 1e6, report.operators, report.tensors, report.seconds))
    }
}
