import Models
import Support
import TorchBridge

/// The layers networks are made of, lowered. BatchNorm is folded into the layer before it
/// (y = gamma (z - mean) / sqrt(var + eps) + beta, gamma = 1 when absent):
/// s = gamma / sqrt(var + eps); weight' = weight * s (per output channel); bias' = beta - mean * s,
/// computed in float64 and stored as float32. Convolutions: stride-1 ones padded by k/2 are SAME, unpadded
/// ones VALID; any other symmetric padding (PyTorch pads both sides, TensorFlow's SAME at stride 2 pads only
/// the bottom and right) becomes an explicit PAD then VALID. Depthwise ones (groups == channels) are
/// DEPTHWISE_CONV_2D; other grouped ones are refused.
extension GraphBuilder {
    /// CONV_2D (or DEPTHWISE_CONV_2D) of an OIHW filter (float64 or float32) with its bias.
    mutating func conv(
        _ x: Int, name: String, conv: Conv2d, filterOIHW: Tensor, bias: Tensor, activation: TFLiteActivation
    ) throws -> Int {
        let s = filterOIHW.shape  // [O, I / groups, kh, kw]
        guard conv.stride.0 == conv.stride.1 else { throw UserError("\(name): unequal strides \(conv.stride)") }
        var input = x
        let padding: TFLitePadding
        if let equivalent = tflitePadding(kernel: (s[2], s[3]), stride: conv.stride.0, padding: conv.padding) {
            padding = equivalent
        } else {
            input = pad(x, name: "\(name)/Pad", rows: conv.padding.0, columns: conv.padding.1)
            padding = .valid
        }
        let b = try bias.contiguous().to(.float32).floats()
        if conv.groups == 1 {
            // [O, I, kh, kw] -> [O, kh, kw, I]
            let ohwi = try filterOIHW.permuted([0, 2, 3, 1]).contiguous().to(.float32).floats()
            return conv2d(
                input, name: name, filterOHWI: ohwi, filterShape: [s[0], s[2], s[3], s[1]], bias: b,
                stride: conv.stride.0, padding: padding, activation: activation)
        }
        guard conv.isDepthwise else {
            throw UserError("\(name): a convolution of \(conv.groups) groups that is not depthwise has no TFLite lowering")
        }
        // [C, 1, kh, kw] -> [1, kh, kw, C]
        let hwc = try filterOIHW.permuted([1, 2, 3, 0]).contiguous().to(.float32).floats()
        return depthwiseConv2d(
            input, name: name, filter1HWC: hwc, filterShape: [1, s[2], s[3], s[0]], bias: b, stride: conv.stride.0,
            padding: padding, activation: activation)
    }

    /// TFLite's padding for a window of `kernel` with torch's symmetric `padding`: VALID when unpadded, SAME at
    /// stride 1 with k/2 on each side of an odd kernel (where TensorFlow's SAME pads the same), nil otherwise.
    func tflitePadding(kernel: (Int, Int), stride: Int, padding: (Int, Int)) -> TFLitePadding? {
        if padding == (0, 0) { return .valid }
        let centred = padding == (kernel.0 / 2, kernel.1 / 2) && kernel.0 % 2 == 1 && kernel.1 % 2 == 1
        return stride == 1 && centred ? .same : nil
    }

    /// Folds BatchNorm into the preceding layer's weight ([O, ...]); returns (weight', bias') in float64.
    func foldBatchNorm(weight: Tensor, bn: BatchNorm2d) throws -> (Tensor, Tensor) {
        let w = try weight.detached().contiguous().to(.float64)
        var s = try (bn.runningVar.detached().to(.float64) + bn.eps).rsqrt()
        if let gamma = bn.weight { s = try s * gamma.detached().to(.float64) }
        let bias = try bn.bias.detached().to(.float64) - bn.runningMean.detached().to(.float64) * s
        let perChannel = try s.reshaped([s.count] + Array(repeating: 1, count: w.rank - 1))
        return (try w * perChannel, bias)
    }

    /// A linear layer without bias and the BatchNorm after it: one FULLY_CONNECTED, weights [out, in],
    /// named after the linear layer.
    mutating func linear(
        _ x: Int, _ linear: Linear, normalizedBy bn: BatchNorm2d, activation: TFLiteActivation = .none
    ) throws -> Int {
        let name = self.name(of: linear)
        if let linearBias = linear.bias, linearBias.count > 0 {
            throw UserError("\(name): a bias before its BatchNorm is not supported")
        }
        let (w, b) = try foldBatchNorm(weight: linear.weight, bn: bn)
        return fullyConnected(
            x, name: name, weights: try w.to(.float32).floats(), out: linear.weight.shape[0],
            bias: try b.to(.float32).floats(), activation: activation)
    }
}

extension BasicConv2d: Lowerable {
    /// CONV_2D with the BatchNorm folded and RELU fused.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        let (filter, bias) = try g.foldBatchNorm(weight: conv.weight, bn: bn)
        return try g.conv(input, name: g.name(of: self), conv: conv, filterOIHW: filter, bias: bias, activation: .relu)
    }
}

extension PReLU: Lowerable {
    /// PRELU with the slopes as alpha [1, 1, C].
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        g.prelu(input, name: g.name(of: self), slopes: try weight.detached().contiguous().to(.float32).floats())
    }
}

extension MaxPool2d: Lowerable {
    /// MAX_POOL_2D, VALID.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        let name = g.name(of: self)
        guard kernel.0 == kernel.1, stride.0 == stride.1, padding == (0, 0) else {
            throw UserError("\(name): only square unpadded max pools have a TFLite lowering here")
        }
        return g.pool(.maxPool2d, input, name: name, kernel: kernel.0, stride: stride.0, padding: .valid)
    }
}

extension AvgPool2d: Lowerable {
    /// AVERAGE_POOL_2D: VALID when unpadded; SAME for a stride-1 pool padded by k/2 whose padded cells are
    /// not counted (TFLite divides by the cells inside the input, as torch does with count_include_pad false).
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        let name = g.name(of: self)
        guard kernel.0 == kernel.1, stride.0 == stride.1, padding.0 == padding.1 else {
            throw UserError("\(name): only square average pools have a TFLite lowering here")
        }
        guard let equivalent = g.tflitePadding(kernel: kernel, stride: stride.0, padding: padding),
            equivalent == .valid || !countIncludePad
        else {
            throw UserError("\(name): padding \(padding) with stride \(stride) has no TFLite average pool equivalent")
        }
        return g.pool(.averagePool2d, input, name: name, kernel: kernel.0, stride: stride.0, padding: equivalent)
    }
}
