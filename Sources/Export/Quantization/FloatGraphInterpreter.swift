import Foundation
import Support
import TorchBridge

/// Runs a float32 `TFLiteModel` as the lowering writes it (CONV_2D, DEPTHWISE_CONV_2D, PAD, PRELU, MAX_POOL_2D,
/// AVERAGE_POOL_2D, CONCATENATION, ADD, MEAN, RESHAPE (a flatten), FULLY_CONNECTED, L2_NORMALIZATION) on libtorch, batched, in
/// NCHW, and records the range of every activation tensor: the calibration int8 quantisation needs. It is also an independent check of the lowering: its
/// output must equal the libtorch model's embeddings.
struct FloatGraphInterpreter {
    let model: TFLiteModel
    /// Constants as NCHW-ready tensors (filters OIHW), by tensor index.
    private var constants: [Int: Tensor] = [:]
    /// Smallest and largest value seen per activation tensor.
    private(set) var ranges: [Int: (min: Float, max: Float)] = [:]

    init(_ model: TFLiteModel) throws {
        self.model = model
        for op in model.operators where [.conv2d, .depthwiseConv2d, .fullyConnected, .prelu].contains(op.opcode) {
            for index in op.inputs.dropFirst() {
                let t = model.tensors[index]
                let values = model.buffers[t.buffer].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                var tensor = try Tensor(values, shape: t.shape)
                switch op.opcode {
                case .conv2d where t.shape.count == 4: tensor = try tensor.permuted([0, 3, 1, 2]).contiguous()  // OHWI -> OIHW
                case .depthwiseConv2d where t.shape.count == 4: tensor = try tensor.permuted([3, 0, 1, 2]).contiguous()  // 1HWC -> C1HW
                case .prelu: tensor = try tensor.reshaped([values.count])  // [1, 1, C] -> [C]
                default: break
                }
                constants[index] = tensor
            }
        }
    }

    /// Runs the graph on `input` (NCHW [B, 3, S, S]); records ranges; returns the output [B, D].
    mutating func run(_ input: Tensor) throws -> Tensor {
        var values: [Int: Tensor] = [model.inputs[0]: input]
        func record(_ index: Int, _ t: Tensor) throws {
            let (lo, hi) = (Float(try t.min().item()), Float(try t.max().item()))
            let old = ranges[index] ?? (lo, hi)
            ranges[index] = (Swift.min(old.min, lo), Swift.max(old.max, hi))
            values[index] = t
        }
        try record(model.inputs[0], input)
        for op in model.operators {
            let x = try produced(values, op.inputs[0], model)
            var y: Tensor
            var activation = TFLiteActivation.none
            switch (op.opcode, op.options) {
            case (.conv2d, .conv2d(let padding, let strideW, let strideH, let fused)):
                let w = constants[op.inputs[1]]!
                let (kh, kw) = (w.shape[2], w.shape[3])
                let pad = padding.torchPadding(kernel: (kh, kw))
                y = try F.conv2d(x, weight: w, bias: constants[op.inputs[2]], stride: (Int(strideH), Int(strideW)), padding: pad)
                activation = fused
            case (.depthwiseConv2d, .depthwiseConv2d(let padding, let strideW, let strideH, _, let fused)):
                let w = constants[op.inputs[1]]!
                let (kh, kw) = (w.shape[2], w.shape[3])
                let pad = padding.torchPadding(kernel: (kh, kw))
                y = try F.conv2d(
                    x, weight: w, bias: constants[op.inputs[2]], stride: (Int(strideH), Int(strideW)), padding: pad,
                    groups: w.shape[0])
                activation = fused
            case (.pad, _):
                // paddings [[0, 0], [top, bottom], [left, right], [0, 0]] of NHWC; F.pad takes NCHW's last axes first.
                let p = model.buffers[model.tensors[op.inputs[1]].buffer].withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
                y = try F.pad(x, [Int(p[4]), Int(p[5]), Int(p[2]), Int(p[3])])
            case (.prelu, _):
                y = try F.prelu(x, weight: constants[op.inputs[1]]!)
            case (.reshape, _):
                // [N, C, 1, 1] only: NCHW's flatten order equals NHWC's there (`GraphBuilder.flatten`).
                guard x.rank == 4, x.shape[2] == 1, x.shape[3] == 1 else {
                    throw UserError("int8 calibration: RESHAPE of \(model.tensors[op.inputs[0]].name) \(x.shape) is not a flatten of a 1x1 grid")
                }
                y = try x.flattened(from: 1)
            case (.maxPool2d, .pool2d(_, let strideW, let strideH, let filterW, let filterH, let fused)):
                y = try F.maxPool2d(x, kernel: (Int(filterH), Int(filterW)), stride: (Int(strideH), Int(strideW)))
                activation = fused
            case (.averagePool2d, .pool2d(let padding, let strideW, let strideH, let filterW, let filterH, let fused)):
                let (kh, kw) = (Int(filterH), Int(filterW))
                let pad = padding.torchPadding(kernel: (kh, kw))
                y = try F.avgPool2d(
                    x, kernel: (kh, kw), stride: (Int(strideH), Int(strideW)), padding: pad, countIncludePad: false)
                activation = fused
            case (.concatenation, .concatenation(_, let fused)):
                y = try Tensor.cat(op.inputs.map { try produced(values, $0, model) }, dim: 1)
                activation = fused
            case (.add, .add(let fused)):
                y = try x + produced(values, op.inputs[1], model)
                activation = fused
            case (.mean, _):
                y = try x.mean(dims: [2, 3])
            case (.fullyConnected, .fullyConnected(let fused, _)):
                y = try F.linear(x, weight: constants[op.inputs[1]]!, bias: constants[op.inputs[2]])
                activation = fused
            case (.l2Normalization, _):
                y = try F.normalize(x, p: 2, dim: 1, eps: 1e-6)
            default:
                throw UserError("int8 calibration: operator \(op.opcode) is not supported")
            }
            if activation == .relu { y = try y.relu() }
            try record(op.outputs[0], y)
        }
        return values[model.outputs[0]]!
    }
}

/// The value of tensor `index`, which an earlier operator (or the input) must have produced.
private func produced(_ values: [Int: Tensor], _ index: Int, _ model: TFLiteModel) throws -> Tensor {
    guard let v = values[index] else { throw UserError("int8 calibration: \(model.tensors[index].name) is used before it is computed") }
    return v
}

extension TFLitePadding {
    /// torch's symmetric padding for a window of `kernel`: k/2 for SAME (odd kernels at stride 1, all the
    /// lowering writes), none for VALID.
    func torchPadding(kernel: (Int, Int)) -> (Int, Int) { self == .same ? (kernel.0 / 2, kernel.1 / 2) : (0, 0) }
}
