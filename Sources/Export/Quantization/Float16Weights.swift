/// Float16 weights, the TFLite converter's "float16 quantization" form
/// (https://ai.google.dev/edge/litert/models/post_training_float16_quant). The rule is the converter's
/// `QuantizeWeightsFloat16` (tensorflow/compiler/mlir/lite/quantization/lite/toco_legacy/quantize_weights.cc):
/// every float32 tensor with constant data that any operator reads — filters *and biases* alike — is stored as
/// a float16 buffer, and a DEQUANTIZE operator turns it back into the float32 tensor its readers see. The file
/// is half the size while every activation and every kernel stays float32 (LiteRT's CPU kernels reject float16
/// activations). DEQUANTIZE with a float16 input is operator version 3
/// (tensorflow/lite/tools/versioning/op_version.cc). The DEQUANTIZEs are placed at the start of the graph
/// (the converter puts each before its first reader; both orders are topologically sorted).
public enum Float16Weights {
    public static func convert(_ model: TFLiteModel) -> TFLiteModel {
        var out = model
        var dequantize: [TFLiteOperator] = []
        var converted = Set<Int>()
        for op in model.operators {
            for input in op.inputs where input >= 0 && !converted.contains(input) {
                let tensor = model.tensors[input]
                guard tensor.type == .float32, tensor.buffer > 0, !model.buffers[tensor.buffer].isEmpty else { continue }
                converted.insert(input)
                let halves = halfBytes(model.buffers[tensor.buffer])
                let buffer = out.addBuffer(halves)
                let source = out.addTensor(
                    TFLiteTensor(name: tensor.name + "/float16", shape: tensor.shape, type: .float16, buffer: buffer))
                // The float32 tensor keeps its index (its readers need no change) and becomes DEQUANTIZE's output.
                out.tensors[input].buffer = 0
                out.buffers[tensor.buffer] = []
                dequantize.append(
                    TFLiteOperator(.dequantize, version: 3, inputs: [source], outputs: [input], options: .dequantize))
            }
        }
        out.operators = dequantize + model.operators
        return removingEmptyBuffers(out)
    }

    /// The largest finite float16.
    static let largestHalf: Float = 65504

    /// Little-endian IEEE 754 binary16 of little-endian float32 bytes as the converter makes them
    /// (`QuantizeTensorFloat16` in toco_legacy/quantization_utils.cc): clamped to [-65504, 65504] first, so a
    /// large weight becomes the largest finite half rather than infinity, then rounded to nearest, ties to even
    /// (Swift's `Float16(_:)`, like `Eigen::half`'s conversion).
    static func halfBytes(_ floatBytes: [UInt8]) -> [UInt8] {
        precondition(floatBytes.count % 4 == 0)
        var out = [UInt8](repeating: 0, count: floatBytes.count / 2)
        floatBytes.withUnsafeBytes { raw in
            for i in 0..<(floatBytes.count / 4) {
                let value = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                let clamped = value.isNaN ? value : Swift.min(Swift.max(value, -largestHalf), largestHalf)
                let bits = Float16(clamped).bitPattern
                out[2 * i] = UInt8(bits & 0xFF)
                out[2 * i + 1] = UInt8(bits >> 8)
            }
        }
        return out
    }

    /// Drops the float32 buffers nobody reads any more and renumbers the tensors' buffer indices.
    static func removingEmptyBuffers(_ model: TFLiteModel) -> TFLiteModel {
        var out = model
        var newIndex = [Int](repeating: 0, count: model.buffers.count)
        var kept: [[UInt8]] = [[]]
        for (i, bytes) in model.buffers.enumerated().dropFirst() where !bytes.isEmpty {
            newIndex[i] = kept.count
            kept.append(bytes)
        }
        out.buffers = kept
        for i in out.tensors.indices { out.tensors[i].buffer = newIndex[out.tensors[i].buffer] }
        return out
    }
}
