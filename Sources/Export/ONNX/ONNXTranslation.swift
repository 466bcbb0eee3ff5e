import Foundation
import ONNXProto
import Support

/// Translates the float32 `TFLiteModel` that `FaceNetLowering` produces into an ONNX graph, operator by
/// operator, so both formats come from one lowering (folded BatchNorm, folded residual scales, layer names).
///
/// Layout: ONNX users feed NCHW (PyTorch's layout), so the graph's input is `input` float32
/// [batch, 3, S, S] with a symbolic batch and every activation is NCHW: NHWC axes map 0->0, 1->2, 2->3, 3->1.
/// Operators (opset 17, https://onnx.ai/onnx/operators/):
///   CONV_2D -> Conv (filter OHWI -> OIHW; SAME at stride 1 with an odd kernel -> symmetric pads k/2;
///              VALID -> no pads) [+ Relu]
///   DEPTHWISE_CONV_2D -> Conv with group = C (filter [1, kh, kw, C] -> [C, 1, kh, kw]; pads as CONV_2D)
///   PAD (zeros) -> Pad (pads input int64 [8]: NCHW begins then ends);  PRELU -> PRelu (slope [C, 1, 1],
///              broadcast over NCHW);  RESHAPE [N, 1, 1, C] -> [N, C] -> Flatten(axis 1)
///   MAX_POOL_2D (VALID) -> MaxPool;  AVERAGE_POOL_2D -> AveragePool (SAME at stride 1 -> pads k/2 with
///              count_include_pad 0, TFLite's rule);  CONCATENATION -> Concat;  ADD -> Add [+ Relu]
///   MEAN over H, W -> ReduceMean(axes [2, 3], keepdims 0);  FULLY_CONNECTED -> Gemm(transB = 1)
///   L2_NORMALIZATION -> LpNormalization(axis 1, p 2)
/// Anything else (e.g. the DEQUANTIZE of an fp16 model) is refused: ONNX export is float32.
enum ONNXTranslation {
    static let opset: Int64 = 17
    /// IR version 8 is what opset 17 was released with (onnx/onnx `docs/Versioning.md`).
    static let irVersion: Int64 = 8

    static func graph(_ m: TFLiteModel, name graphName: String) throws -> Onnx_GraphProto {
        var g = Onnx_GraphProto()
        g.name = graphName
        g.docString = m.description
        guard m.inputs.count == 1, m.outputs.count == 1 else { throw UserError("ONNX export: expected one input and one output") }
        var initialized = Set<Int>()
        func constant(_ index: Int, transform: (([Float], [Int]) -> ([Float], [Int]))? = nil) throws -> String {
            let t = m.tensors[index]
            guard t.buffer > 0, t.type == .float32 else { throw UserError("ONNX export: \(t.name) is not a float32 constant") }
            if !initialized.contains(index) {
                initialized.insert(index)
                var values = m.buffers[t.buffer].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                var dims = t.shape
                if let transform { (values, dims) = transform(values, dims) }
                g.initializer.append(
                    ONNXProtoBuilders.floatTensor(t.name, dims: dims, littleEndianBytes: values.withUnsafeBytes { Data($0) }))
            }
            return t.name
        }
        func name(_ index: Int) -> String { m.tensors[index].name }
        /// Emits `node` writing `output`, followed by a Relu when the TFLite op fused one.
        func emit(_ opType: String, inputs: [String], output: Int, fused: TFLiteActivation, attributes: [Onnx_AttributeProto] = [])
            throws
        {
            let out = name(output)
            switch fused {
            case .none:
                g.node.append(ONNXProtoBuilders.node(opType, name: out, inputs: inputs, outputs: [out], attributes: attributes))
            case .relu:
                let pre = out + "/" + opType
                g.node.append(ONNXProtoBuilders.node(opType, name: pre, inputs: inputs, outputs: [pre], attributes: attributes))
                g.node.append(ONNXProtoBuilders.node("Relu", name: out + "/Relu", inputs: [pre], outputs: [out]))
            default:
                throw UserError("ONNX export: \(out): fused activation \(fused) is not supported")
            }
        }

        /// A window's kernel_shape, strides and (for SAME) pads, for Conv, MaxPool and AveragePool.
        func windowAttributes(
            _ op: TFLiteOperator, kernel: (Int, Int), _ padding: TFLitePadding, _ strideW: Int32, _ strideH: Int32
        ) throws -> [Onnx_AttributeProto] {
            let (kh, kw) = kernel
            var attributes = [
                ONNXProtoBuilders.attribute("kernel_shape", ints: [kh, kw]),
                ONNXProtoBuilders.attribute("strides", ints: [Int(strideH), Int(strideW)]),
            ]
            if padding == .same {
                guard strideW == 1, strideH == 1, kh % 2 == 1, kw % 2 == 1 else {
                    throw UserError("ONNX export: \(name(op.outputs[0])): SAME padding needs stride 1 and an odd kernel")
                }
                attributes.append(ONNXProtoBuilders.attribute("pads", ints: [kh / 2, kw / 2, kh / 2, kw / 2]))
            }
            return attributes
        }
        /// Conv's attributes for a filter [_, kh, kw, _].
        func convAttributes(_ op: TFLiteOperator, _ padding: TFLitePadding, _ strideW: Int32, _ strideH: Int32) throws
            -> [Onnx_AttributeProto]
        {
            let filterShape = m.tensors[op.inputs[1]].shape
            return try windowAttributes(op, kernel: (filterShape[1], filterShape[2]), padding, strideW, strideH)
        }

        for op in m.operators {
            let out = op.outputs[0]
            switch (op.opcode, op.options) {
            case (.conv2d, .conv2d(let padding, let strideW, let strideH, let activation)):
                let attributes = try convAttributes(op, padding, strideW, strideH)
                let w = try constant(op.inputs[1]) { values, dims in (ohwiToOIHW(values, dims), [dims[0], dims[3], dims[1], dims[2]]) }
                let b = try constant(op.inputs[2])
                try emit("Conv", inputs: [name(op.inputs[0]), w, b], output: out, fused: activation, attributes: attributes)
            case (.depthwiseConv2d, .depthwiseConv2d(let padding, let strideW, let strideH, let multiplier, let activation)):
                guard multiplier == 1 else { throw UserError("ONNX export: \(name(out)): depth multiplier \(multiplier) is not supported") }
                let channels = m.tensors[op.inputs[1]].shape[3]
                let attributes = try convAttributes(op, padding, strideW, strideH) + [ONNXProtoBuilders.attribute("group", int: channels)]
                // [1, kh, kw, C] is OHWI with O = 1 and I = C; as OIHW [1, C, kh, kw] it reads as [C, 1, kh, kw].
                let w = try constant(op.inputs[1]) { values, dims in (ohwiToOIHW(values, dims), [dims[3], 1, dims[1], dims[2]]) }
                let b = try constant(op.inputs[2])
                try emit("Conv", inputs: [name(op.inputs[0]), w, b], output: out, fused: activation, attributes: attributes)
            case (.pad, _):
                let p = m.buffers[m.tensors[op.inputs[1]].buffer].withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
                // NHWC [[0, 0], [top, bottom], [left, right], [0, 0]] -> NCHW begins [0, 0, top, left], ends [0, 0, bottom, right].
                let padsName = name(op.inputs[1])
                g.initializer.append(
                    ONNXProtoBuilders.int64Tensor(padsName, dims: [8], values: [0, 0, p[2], p[4], 0, 0, p[3], p[5]].map(Int64.init)))
                try emit("Pad", inputs: [name(op.inputs[0]), padsName], output: out, fused: .none)
            case (.prelu, _):
                let slope = try constant(op.inputs[1]) { values, _ in (values, [values.count, 1, 1]) }
                try emit("PRelu", inputs: [name(op.inputs[0]), slope], output: out, fused: .none)
            case (.reshape, _):
                let inShape = m.tensors[op.inputs[0]].shape
                guard inShape.count == 4, inShape[1] == 1, inShape[2] == 1, m.tensors[out].shape == [inShape[0], inShape[3]] else {
                    throw UserError("ONNX export: \(name(out)): only a RESHAPE that flattens a 1x1 grid is supported")
                }
                try emit("Flatten", inputs: [name(op.inputs[0])], output: out, fused: .none,
                         attributes: [ONNXProtoBuilders.attribute("axis", int: 1)])
            case (.maxPool2d, .pool2d(let padding, let strideW, let strideH, let filterW, let filterH, let activation)):
                guard padding == .valid else { throw UserError("ONNX export: \(name(out)): only VALID pooling is supported") }
                try emit(
                    "MaxPool", inputs: [name(op.inputs[0])], output: out, fused: activation,
                    attributes: try windowAttributes(op, kernel: (Int(filterH), Int(filterW)), padding, strideW, strideH))
            case (.averagePool2d, .pool2d(let padding, let strideW, let strideH, let filterW, let filterH, let activation)):
                let attributes = try windowAttributes(op, kernel: (Int(filterH), Int(filterW)), padding, strideW, strideH)
                try emit(
                    "AveragePool", inputs: [name(op.inputs[0])], output: out, fused: activation,
                    attributes: attributes + [ONNXProtoBuilders.attribute("count_include_pad", int: 0)])
            case (.concatenation, .concatenation(let axis, let activation)):
                try emit(
                    "Concat", inputs: op.inputs.map(name), output: out, fused: activation,
                    attributes: [ONNXProtoBuilders.attribute("axis", int: nchwAxis(Int(axis)))])
            case (.add, .add(let activation)):
                try emit("Add", inputs: op.inputs.map(name), output: out, fused: activation)
            case (.mean, .reducer(let keepDims)):
                let axesTensor = m.tensors[op.inputs[1]]
                let axes = m.buffers[axesTensor.buffer].withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
                try emit(
                    "ReduceMean", inputs: [name(op.inputs[0])], output: out, fused: .none,
                    attributes: [
                        ONNXProtoBuilders.attribute("axes", ints: axes.map { nchwAxis(Int($0)) }),
                        ONNXProtoBuilders.attribute("keepdims", int: keepDims ? 1 : 0),
                    ])
            case (.fullyConnected, .fullyConnected(let activation, _)):
                let w = try constant(op.inputs[1])
                let b = try constant(op.inputs[2])
                try emit(
                    "Gemm", inputs: [name(op.inputs[0]), w, b], output: out, fused: activation,
                    attributes: [ONNXProtoBuilders.attribute("transB", int: 1)])
            case (.l2Normalization, _):
                try emit(
                    "LpNormalization", inputs: [name(op.inputs[0])], output: out, fused: .none,
                    attributes: [ONNXProtoBuilders.attribute("axis", int: 1), ONNXProtoBuilders.attribute("p", int: 2)])
            default:
                throw UserError("ONNX export: operator \(op.opcode) (\(name(out))) has no ONNX translation here")
            }
        }

        let input = m.tensors[m.inputs[0]]
        let output = m.tensors[m.outputs[0]]
        g.input = [
            ONNXProtoBuilders.floatValueInfo(
                input.name, shape: [.symbolic("batch"), .fixed(input.shape[3]), .fixed(input.shape[1]), .fixed(input.shape[2])])
        ]
        g.output = [ONNXProtoBuilders.floatValueInfo(output.name, shape: [.symbolic("batch")] + output.shape.dropFirst().map { .fixed($0) })]
        return g
    }

    /// The NCHW axis of an NHWC axis.
    static func nchwAxis(_ nhwc: Int) -> Int { [0, 2, 3, 1][nhwc] }

    /// [O, kh, kw, I] values -> [O, I, kh, kw].
    static func ohwiToOIHW(_ v: [Float], _ d: [Int]) -> [Float] {
        let (o, kh, kw, i) = (d[0], d[1], d[2], d[3])
        var out = [Float](repeating: 0, count: v.count)
        for a in 0..<o {
            for y in 0..<kh {
                for x in 0..<kw {
                    for c in 0..<i { out[((a * i + c) * kh + y) * kw + x] = v[((a * kh + y) * kw + x) * i + c] }
                }
            }
        }
        return out
    }
}
