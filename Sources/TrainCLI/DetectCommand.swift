import Alignment
import ArgumentParser
import Foundation
import Support
import Vision

/// The MTCNN settings `facenet detect` and `facenet align` share.
struct DetectorArguments: ParsableArguments {
    @Option(help: "Smallest face to look for, in pixels (the pyramid starts at 12 / this; \(DetectorOptions.minFaceSizeRange)).")
    var minFaceSize: Double = 20

    @Option(help: "P-Net, R-Net and O-Net probability thresholds, comma-separated.")
    var thresholds: String = "0.6,0.7,0.7"

    @Option(help: "Scale factor between pyramid levels (\(DetectorOptions.factorRange)).")
    var factor: Double = 0.709

    @Option(
        help: """
            Detect on a copy whose long side is at most this many pixels (boxes and landmarks in source pixels; \
            align crops from the full image): 0 (off) or \(DetectorOptions.maxDetectionSideRange).
            """)
    var detectMaxSide: Int = DetectorOptions.defaultMaxDetectionSide

    @Option(help: "Folder with facenet-pytorch 2.6.0's pnet.pt, rnet.pt, onet.pt (default: the weights cache).")
    var mtcnnWeights: String?

    func validate() throws { _ = try options() }

    func options() throws -> DetectorOptions {
        let values = thresholds.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 3, values.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--thresholds must be three numbers such as 0.6,0.7,0.7, got '\(thresholds)'")
        }
        let options = DetectorOptions(
            minFaceSize: minFaceSize, thresholds: values.map { $0! }, factor: factor, maxDetectionSide: detectMaxSide)
        try usageCheck { try options.validate() }
        return options
    }

    var weightsDirectory: String { mtcnnWeights ?? MTCNNNetworks.defaultDirectory }

    func detector() throws -> MTCNNDetector {
        let networks = try MTCNNNetworks.load(directory: weightsDirectory)
        return try MTCNNDetector(networks: networks, options: options())
    }
}

/// `facenet detect IMAGE...`
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Print every face MTCNN finds in the images, one JSON line per face.",
        discussion: """
            Each line: {"path": ..., "box": [x1, y1, x2, y2], "score": p, "landmarks": [[x, y] x 5]} in source \
            pixels; landmarks are left eye, right eye, nose, left and right mouth corner. Faces of one image \
            come highest score first. Images that cannot be read are reported on stderr and skipped; the exit \
            status is then 3.
            """
    )

    @Argument(help: "Image files.")
    var images: [String]

    @OptionGroup var detectorArguments: DetectorArguments
    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply()
        let detector = try detectorArguments.detector()
        var failed = 0
        for path in images {
            do {
                let image = try Image.load(path: path)
                for face in try detector.detect(image) {
                    print(Self.json(path: path, face: face))
                }
            } catch {
                failed += 1
                FileHandle.standardError.write(Data("detect: \(error)\n".utf8))
            }
        }
        if failed > 0 { throw ExitCode(ExitStatus.someSkipped) }
    }

    static func json(path: String, face: DetectedFace) -> String {
        let object: [String: Any] = [
            "path": path,
            "box": [face.box.x1, face.box.y1, face.box.x2, face.box.y2].map { Double($0) },
            "score": Double(face.score),
            "landmarks": face.landmarks.map { [$0.x, $0.y] },
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
