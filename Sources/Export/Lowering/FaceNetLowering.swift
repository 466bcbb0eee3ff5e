import Foundation
import Models
import Support
import TorchBridge

/// Lowers a face-embedding network (evaluation mode) to a float32 TFLite graph: the input
/// `input` [1, S, S, 3] (preprocessed RGB, NHWC), the network's own lowering (`Lowerable`: each block
/// describes its graph), the output `embedding` [1, D], and the metadata.
public enum FaceNetLowering {
    static let inputName = "input"
    static let outputName = "embedding"

    /// `metadata` entries are added to the model's `facenet_model_info` JSON (precision, LFW accuracy, ...).
    public static func lower(_ network: any FaceEmbeddingModel, metadata: [String: Any] = [:]) throws -> TFLiteModel {
        guard let lowerable = network as? Lowerable else {
            throw UserError("backbone \(network.backbone.rawValue) has no TFLite lowering yet")
        }
        return try withNoGrad {
            let d = network.description
            var g = GraphBuilder(description: describe(network), names: names(network))
            let input = g.newActivation(inputName, [1, d.inputSize, d.inputSize, 3])
            g.model.inputs = [input]
            let embedding = try lowerable.lower(into: &g, input: input)
            g.model.outputs = [embedding]
            g.model.signatureInputs = [(inputName, input)]
            g.model.signatureOutputs = [(outputName, embedding)]
            g.model.metadata = [("facenet_model_info", Array(try metadataJSON(d, extra: metadata).utf8))]
            return g.model
        }
    }

    /// Every module's name in the graph: its pretrained Keras layer (`KerasNamed`), else its module path.
    static func names(_ network: Module) -> [ObjectIdentifier: String] {
        let keras = network as? any KerasNamed
        var names: [ObjectIdentifier: String] = [:]
        for (path, module) in network.namedModules {
            names[ObjectIdentifier(module)] = keras?.kerasLayer(at: path) ?? path
        }
        return names
    }

    /// The text stored as the model's description and in its metadata: what the input must be.
    public static func describe(_ network: any FaceEmbeddingModel) -> String {
        let d = network.description
        return "FaceNet \(type(of: network)) '\(d.name)': \(d.embeddingSize)-D L2-normalised embedding of one face. Input "
            + "'\(inputName)' float32 [1, \(d.inputSize), \(d.inputSize), 3] NHWC RGB, \(preprocessingText(d.preprocessing)); "
            + "output '\(outputName)' float32 [1, \(d.embeddingSize)]. Written by facenet export (Swift)."
    }

    static func preprocessingText(_ p: Preprocessing) -> String {
        switch p {
        case .prewhiten:
            "prewhitened per image: (x - mean) / max(std, 1/sqrt(N)) over all N = H*W*3 values of the 0-255 pixels"
        case .fixed:
            "scaled: (x - 127.5) / 128 of the 0-255 pixels"
        }
    }

    static func metadataJSON(_ d: ModelDescription, extra: [String: Any]) throws -> String {
        var info: [String: Any] = [
            "name": d.name, "embedding_size": d.embeddingSize, "input_size": d.inputSize,
            "input_layout": "NHWC", "input_name": inputName, "output_name": outputName,
            "preprocessing": d.preprocessing.rawValue,
            "preprocessing_text": preprocessingText(d.preprocessing),
        ]
        info.merge(extra) { _, extra in extra }
        return try ExportMetadata.json(info)
    }
}
