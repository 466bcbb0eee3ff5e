import Foundation
import Support

/// Full-integer post-training quantisation of the float32 lowering, following TFLite's quantisation spec
/// (https://ai.google.dev/edge/litert/models/quantization_spec):
/// - activations int8, per tensor, asymmetric: the calibrated [min, max] widened to include 0,
///   scale = (max - min) / 255, zero point = round(-128 - min / scale);
/// - CONV_2D filters int8 per output channel (quantized_dimension 0 of OHWI), symmetric (zero point 0,
///   scale = max|w| / 127, values in [-127, 127]); FULLY_CONNECTED weights int8 per tensor, symmetric; biases
///   int32 with scale = input scale x weight scale (per channel), zero point 0;
/// - DEPTHWISE_CONV_2D filters [1, kh, kw, C] int8 per channel on quantized_dimension 3 (the spec's rule for
///   depthwise filters), symmetric, biases as for CONV_2D;
/// - PRELU stays float32 between a DEQUANTIZE and a QUANTIZE (its output calibrated), with the float slopes.
///   LiteRT's XNNPACK delegate takes PRELU only in float (tensorflow/lite/delegates/xnnpack/xnnpack_delegate.cc,
///   `VisitPreluNode` checks a float input and slope); an int8 PRELU runs in LiteRT's reference kernel and cuts
///   the delegated graph at each one: MobileFaceNet's 33 gave 35 partitions and 28 ms/face against 2.4 ms in fp32
///   (docs/benchmarks.md). The two conversions are delegated element-wise kernels;
/// - PAD and RESHAPE keep their input's scale and zero point (pad.cc pads with the zero point, reshape.cc copies);
/// - QUANTIZE at the float32 input, DEQUANTIZE at the float32 output, so callers feed and read float32.
/// What LiteRT's int8 kernels require (tensorflow/lite/kernels/…, `Prepare`):
/// - concatenation.cc: every input's scale and zero point equal the output's ("no re-scaling needed for Int8
///   quantized kernel"), so a branch with other parameters is requantised by an int8 -> int8 QUANTIZE;
/// - pooling.cc: MAX_POOL_2D's and AVERAGE_POOL_2D's output has its input's scale and zero point (we give it
///   exactly those);
/// - l2norm.cc: the int8 output has scale 1/128 and zero point 0;
/// - reduce.cc (MEAN) and add.cc (ADD, fused RELU) rescale between their own input and output parameters.
/// Operator versions are those tensorflow/lite/tools/versioning/op_version.cc assigns (`int8Version`).
enum Int8Quantization {
    struct Parameters: Equatable {
        var scale: Float
        var zeroPoint: Int64
    }

    /// `OperatorCode.version` of an int8 operator, per tensorflow/lite/tools/versioning/op_version.cc:
    /// CONV_2D and DEPTHWISE_CONV_2D with int8 input, filter and output 3; FULLY_CONNECTED int8 (bias present,
    /// keep_num_dims false) 4; ADD, CONCATENATION, MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, PAD (4-D), L2_NORMALIZATION with int8
    /// tensors 2; RESHAPE 1 (op_version.cc has no int8 case for it); float PRELU 1; DEQUANTIZE of a per-tensor
    /// int8 input 2; QUANTIZE with a per-tensor, non-int16 output 1 (both float -> int8 and int8 -> int8).
    /// (The older tools/optimize/operator_property.cc writes 2 for QUANTIZE; LiteRT registers both.)
    static func int8Version(_ opcode: TFLiteBuiltinOperator) -> Int32 {
        switch opcode {
        case .conv2d, .depthwiseConv2d: 3
        case .fullyConnected: 4
        case .add, .concatenation, .maxPool2d, .averagePool2d, .mean, .pad, .l2Normalization, .dequantize: 2
        default: 1
        }
    }

    /// Asymmetric int8 parameters covering [lo, hi] (widened to include 0).
    static func parameters(min lo: Float, max hi: Float) -> Parameters {
        let (a, b) = (Swift.min(lo, 0), Swift.max(hi, 0))
        let scale = Swift.max((b - a) / 255, 1e-8)
        let zero = Swift.min(127, Swift.max(-128, (-128 - a / scale).rounded()))
        return Parameters(scale: scale, zeroPoint: Int64(zero))
    }

    /// Symmetric per-channel int8 of `values` laid out [channels, rest...]: (int8 values, scale per channel).
    static func perChannel(_ values: [Float], channels: Int) -> ([Int8], [Float]) {
        let per = values.count / channels
        var q = [Int8](repeating: 0, count: values.count)
        var scales = [Float](repeating: 1, count: channels)
        for c in 0..<channels {
            let slice = values[(c * per)..<((c + 1) * per)]
            let scale = Swift.max(slice.map(abs).max() ?? 0, 1e-12) / 127
            scales[c] = scale
            for (k, v) in slice.enumerated() { q[c * per + k] = Int8(Swift.max(-127, Swift.min(127, (v / scale).rounded()))) }
        }
        return (q, scales)
    }

    /// Symmetric per-channel int8 of `values` laid out [rest..., channels] (a depthwise filter [1, kh, kw, C]):
    /// (int8 values, scale per channel).
    static func perLastAxis(_ values: [Float], channels: Int) -> ([Int8], [Float]) {
        let rows = values.count / channels
        var transposed = [Float](repeating: 0, count: values.count)
        for r in 0..<rows { for c in 0..<channels { transposed[c * rows + r] = values[r * channels + c] } }
        let (q, scales) = perChannel(transposed, channels: channels)
        var out = [Int8](repeating: 0, count: values.count)
        for r in 0..<rows { for c in 0..<channels { out[r * channels + c] = q[c * rows + r] } }
        return (out, scales)
    }

    /// int32 biases for an input scale and per-channel (or one) weight scales.
    static func biases(_ values: [Float], inputScale: Float, weightScales: [Float]) -> ([Int32], [Float]) {
        let scales = values.indices.map { inputScale * weightScales[weightScales.count == 1 ? 0 : $0] }
        let q = zip(values, scales).map { Int32(Swift.max(-2_147_483_647, Swift.min(2_147_483_647, (Double($0) / Double($1)).rounded()))) }
        return (q, scales)
    }

    /// Parameters handed back from each CONCATENATION to the inputs that can take them at no cost: a tensor
    /// written by an operator that rescales anyway (CONV_2D, FULLY_CONNECTED, ADD) and read by nothing but
    /// that concatenation gets the concatenation's output parameters, so the kernel's equal-scale rule holds
    /// without a requantising QUANTIZE (the converter propagates concatenation scales the same way). Other
    /// inputs (a MAX_POOL_2D branch, whose parameters are its input's) keep theirs and are requantised.
    static func concatenationShared(_ m: TFLiteModel, ranges: [Int: (min: Float, max: Float)]) throws -> [Int: Parameters] {
        var readers: [Int: Int] = [:]
        for op in m.operators { for i in op.inputs where i >= 0 { readers[i, default: 0] += 1 } }
        for o in m.outputs { readers[o, default: 0] += 1 }
        var producer: [Int: TFLiteBuiltinOperator] = [:]
        for op in m.operators { for o in op.outputs { producer[o] = op.opcode } }
        var shared: [Int: Parameters] = [:]
        for op in m.operators where op.opcode == .concatenation {
            guard let r = ranges[op.outputs[0]] else { throw UserError("int8: no calibrated range for \(m.tensors[op.outputs[0]].name)") }
            let p = parameters(min: r.min, max: r.max)
            for x in op.inputs where readers[x] == 1 && [.conv2d, .fullyConnected, .add].contains(producer[x]) {
                shared[x] = p
            }
        }
        return shared
    }

    static func quantize(_ m: TFLiteModel, ranges: [Int: (min: Float, max: Float)]) throws -> TFLiteModel {
        var q = TFLiteModel(description: m.description)
        q.metadata = m.metadata
        q.signatureKey = m.signatureKey
        var map: [Int: Int] = [:]  // float tensor -> int8 tensor
        var params: [Int: Parameters] = [:]  // by float tensor

        func calibrated(_ index: Int) throws -> Parameters {
            guard let r = ranges[index] else { throw UserError("int8: no calibrated range for \(m.tensors[index].name)") }
            return parameters(min: r.min, max: r.max)
        }
        let shared = try concatenationShared(m, ranges: ranges)
        /// A rescaling operator's output parameters: the concatenation's it feeds, else its own range's.
        func outputParameters(_ index: Int) throws -> Parameters { try shared[index] ?? calibrated(index) }
        func activation(_ index: Int, _ p: Parameters, name: String? = nil) -> Int {
            let t = m.tensors[index]
            params[index] = p
            let i = q.addTensor(
                TFLiteTensor(
                    name: name ?? t.name, shape: t.shape, type: .int8,
                    quantization: TFLiteQuantization(scale: [p.scale], zeroPoint: [p.zeroPoint])))
            map[index] = i
            return i
        }
        func floats(_ index: Int) -> [Float] {
            m.buffers[m.tensors[index].buffer].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        func constant<T>(
            _ name: String, _ values: [T], shape: [Int], type: TFLiteTensorType, scales: [Float], zeroPoints: [Int64]? = nil,
            dimension: Int32 = 0
        ) -> Int {
            let buffer = q.addBuffer(values.withUnsafeBytes { Array($0) })
            return q.addTensor(
                TFLiteTensor(
                    name: name, shape: shape, type: type, buffer: buffer,
                    quantization: TFLiteQuantization(
                        scale: scales, zeroPoint: zeroPoints ?? Array(repeating: 0, count: scales.count),
                        quantizedDimension: dimension)))
        }
        /// An int32 constant (MEAN's axes, PAD's paddings, RESHAPE's shape) copied as it is.
        func copied(_ index: Int) -> Int {
            let t = m.tensors[index]
            return q.addTensor(TFLiteTensor(name: t.name, shape: t.shape, type: .int32, buffer: q.addBuffer(m.buffers[t.buffer])))
        }

        // Float input -> QUANTIZE.
        let input = m.inputs[0]
        let floatInput = q.addTensor(TFLiteTensor(name: m.tensors[input].name, shape: m.tensors[input].shape))
        let quantizedInput = activation(input, try calibrated(input), name: m.tensors[input].name + "_int8")
        q.operators.append(TFLiteOperator(.quantize, version: int8Version(.quantize), inputs: [floatInput], outputs: [quantizedInput], options: .quantize))

        for op in m.operators {
            let out = op.outputs[0]
            let name = m.tensors[out].name
            switch op.opcode {
            case .conv2d, .depthwiseConv2d, .fullyConnected:
                let x = op.inputs[0]
                let inScale = params[x]!.scale
                let wShape = m.tensors[op.inputs[1]].shape
                let (wq, wScales): ([Int8], [Float])
                switch op.opcode {
                case .conv2d: (wq, wScales) = perChannel(floats(op.inputs[1]), channels: wShape[0])
                case .depthwiseConv2d: (wq, wScales) = perLastAxis(floats(op.inputs[1]), channels: wShape[3])
                default: (wq, wScales) = perChannel(floats(op.inputs[1]), channels: 1)
                }
                let (bq, bScales) = biases(floats(op.inputs[2]), inputScale: inScale, weightScales: wScales)
                let w = constant(
                    m.tensors[op.inputs[1]].name, wq, shape: wShape, type: .int8, scales: wScales,
                    dimension: op.opcode == .depthwiseConv2d ? 3 : 0)
                let b = constant(m.tensors[op.inputs[2]].name, bq, shape: m.tensors[op.inputs[2]].shape, type: .int32, scales: bScales)
                let y = activation(out, try outputParameters(out))
                q.operators.append(
                    TFLiteOperator(op.opcode, version: int8Version(op.opcode), inputs: [map[x]!, w, b], outputs: [y], options: op.options))
            case .pad, .reshape:
                let y = activation(out, params[op.inputs[0]]!)
                q.operators.append(
                    TFLiteOperator(
                        op.opcode, version: int8Version(op.opcode), inputs: [map[op.inputs[0]]!, copied(op.inputs[1])], outputs: [y],
                        options: op.options))
            case .prelu:
                // Float32 in the int8 graph: see the type's comment (XNNPACK takes PRELU only in float).
                let (x, slopes) = (m.tensors[op.inputs[0]], m.tensors[op.inputs[1]])
                let floatIn = q.addTensor(TFLiteTensor(name: x.name + "_float", shape: x.shape))
                q.operators.append(TFLiteOperator(.dequantize, version: int8Version(.dequantize), inputs: [map[op.inputs[0]]!], outputs: [floatIn], options: .dequantize))
                let alpha = q.addTensor(TFLiteTensor(name: slopes.name, shape: slopes.shape, buffer: q.addBuffer(m.buffers[slopes.buffer])))
                let floatOut = q.addTensor(TFLiteTensor(name: name + "_float", shape: m.tensors[out].shape))
                q.operators.append(TFLiteOperator(.prelu, version: int8Version(.prelu), inputs: [floatIn, alpha], outputs: [floatOut], options: op.options))
                let y = activation(out, try outputParameters(out))
                q.operators.append(TFLiteOperator(.quantize, version: int8Version(.quantize), inputs: [floatOut], outputs: [y], options: .quantize))
            case .maxPool2d, .averagePool2d:
                let y = activation(out, params[op.inputs[0]]!)
                q.operators.append(TFLiteOperator(op.opcode, version: int8Version(op.opcode), inputs: [map[op.inputs[0]]!], outputs: [y], options: op.options))
            case .concatenation:
                let p = try calibrated(out)
                var inputs: [Int] = []
                for (k, x) in op.inputs.enumerated() {
                    if params[x] == p {
                        inputs.append(map[x]!)
                    } else {
                        let t = m.tensors[x]
                        let r = q.addTensor(
                            TFLiteTensor(
                                name: "\(name)/input\(k)_requantized", shape: t.shape, type: .int8,
                                quantization: TFLiteQuantization(scale: [p.scale], zeroPoint: [p.zeroPoint])))
                        q.operators.append(TFLiteOperator(.quantize, version: int8Version(.quantize), inputs: [map[x]!], outputs: [r], options: .quantize))
                        inputs.append(r)
                    }
                }
                let y = activation(out, p)
                q.operators.append(TFLiteOperator(.concatenation, version: int8Version(.concatenation), inputs: inputs, outputs: [y], options: op.options))
            case .add:
                let y = activation(out, try outputParameters(out))
                q.operators.append(TFLiteOperator(.add, version: int8Version(.add), inputs: op.inputs.map { map[$0]! }, outputs: [y], options: op.options))
            case .mean:
                let y = activation(out, try calibrated(out))
                q.operators.append(
                    TFLiteOperator(.mean, version: int8Version(.mean), inputs: [map[op.inputs[0]]!, copied(op.inputs[1])], outputs: [y], options: op.options))
            case .l2Normalization:
                let y = activation(out, Parameters(scale: 1.0 / 128, zeroPoint: 0), name: name + "_int8")
                q.operators.append(TFLiteOperator(.l2Normalization, version: int8Version(.l2Normalization), inputs: [map[op.inputs[0]]!], outputs: [y], options: op.options))
            default:
                throw UserError("int8: operator \(op.opcode) (\(name)) is not supported")
            }
        }

        // int8 output -> DEQUANTIZE -> the float32 output under the original name.
        let output = m.outputs[0]
        let floatOutput = q.addTensor(TFLiteTensor(name: m.tensors[output].name, shape: m.tensors[output].shape))
        q.operators.append(TFLiteOperator(.dequantize, version: int8Version(.dequantize), inputs: [map[output]!], outputs: [floatOutput], options: .dequantize))
        q.inputs = [floatInput]
        q.outputs = [floatOutput]
        q.signatureInputs = m.signatureInputs.map { ($0.0, floatInput) }
        q.signatureOutputs = m.signatureOutputs.map { ($0.0, floatOutput) }
        return q
    }
}
