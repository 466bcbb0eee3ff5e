import Foundation
import Models
import ONNXProto
import Support

/// Writes a FaceNet model as an ONNX file (float32) that ONNX Runtime runs: the TFLite lowering translated
/// to ONNX operators (`ONNXTranslation`), serialised with swift-protobuf, written atomically.
public enum ONNXExport {
    public static func export(_ network: any FaceEmbeddingModel, metadata: [String: Any] = [:], to path: String) throws
        -> ExportReport
    {
        let start = Date()
        let lowered = try FaceNetLowering.lower(network, metadata: metadata.merging(["precision": "fp32"]) { a, _ in a })
        let model = try modelProto(lowered, name: network.description.name)
        let bytes = try model.serializedData()
        try AtomicFile.write(bytes, to: path)
        return ExportReport(
            path: path, bytes: bytes.count, operators: model.graph.node.count,
            tensors: model.graph.initializer.count + model.graph.node.count + 1, seconds: Date().timeIntervalSince(start))
    }

    /// The ModelProto: IR 8, opset 17, the graph, the description as doc_string and every metadata field
    /// of the TFLite file's `facenet_model_info` as a `metadata_props` entry (values as JSON text).
    static func modelProto(_ lowered: TFLiteModel, name: String) throws -> Onnx_ModelProto {
        var model = Onnx_ModelProto()
        model.irVersion = ONNXTranslation.irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = ONNXTranslation.opset
        model.opsetImport = [opset]
        model.producerName = "facenet export (Swift)"
        model.producerVersion = "1"
        model.docString = lowered.description
        model.graph = try ONNXTranslation.graph(lowered, name: name)
        for (key, bytes) in lowered.metadata {
            guard let info = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
                model.metadataProps.append(ONNXProtoBuilders.stringEntry(key, String(decoding: bytes, as: UTF8.self)))
                continue
            }
            for field in info.keys.sorted() {
                let value = info[field]!
                let text: String
                if let s = value as? String {
                    text = s
                } else if let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) {
                    text = String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
                } else {
                    text = "\(value)"
                }
                model.metadataProps.append(ONNXProtoBuilders.stringEntry(field, text))
            }
        }
        return model
    }
}
