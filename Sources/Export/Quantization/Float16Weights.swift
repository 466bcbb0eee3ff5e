/// Float16 weights, the TFLite converter's "float16 quantization" form
/// (https://ai.google.dev/edge/litert/models/post_training_float16_quant): every float32 constant a
/// CONV_2D or FULLY_CONNECTED reads (filters and biases) is stored as a float16 buffer and turned back into
/// float32 by a DEQUANTIZE operator at the start of the graph, so the file is half the size while every
/// activation and every kernel stays float32 (LiteRT's CPU kernels reject float16 activations).
/// DEQUANTIZE with a float16 input is operator version 3 (tensorflow/lite/tools/versioning/op_version.cc).
public enum Float16Weights {
    public static func convert(_ model: TFLiteModel) -> TFLiteModel {
        var out = model
        var dequantize: [TFLiteOperator] = []
        var converted = Set<Int>()
        for op in model.operators where op.opcode == .conv2d || op.opcode == .fullyConnected {
            for input in op.inputs.dropFirst() where input >= 0 && !converted.contains(input) {
                let tensor = model.tensors[input]
                guard tensor.type == .float32, tensor.buffer > 0 else { continue }
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

    /// Little-endian IEEE 754 binary16 of little-endian float32 bytes, rounded to nearest even (Swift's
    /// `Float16(_:)`); values beyond 65504 become infinity, as the converter's cast does.
    static func halfBytes(_ floatBytes: [UInt8]) -> [UInt8] {
        precondition(floatBytes.count % 4 == 0)
        var out = [UInt8](repeating: 0, count: floatBytes.count / 2)
        floatBytes.withUnsafeBytes { raw in
            for i in 0..<(floatBytes.count / 4) {
                let bits = Float16(Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))).bitPattern
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
