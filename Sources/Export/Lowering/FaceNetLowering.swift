import Foundation
import Models
import Support
import TorchBridge

/// Lowers an `InceptionResNetV1` (evaluation mode) to a float32 TFLite graph:
///
///     input [1, S, S, 3] (prewhitened RGB, NHWC)
///       -> CONV_2D (BatchNorm folded, fused RELU) ... MAX_POOL_2D ... CONCATENATION (axis 3)
///       -> per residual block: branches, CONCATENATION, up-projection CONV_2D with the residual scale folded
///          into its weights and bias, ADD with fused RELU (none on the last Block8)
///       -> MEAN over axes [1, 2] -> FULLY_CONNECTED (bottleneck BatchNorm folded) -> L2_NORMALIZATION
///
/// Folding (BatchNorm y = gamma (z - mean) / sqrt(var + eps) + beta, gamma = 1 when absent):
/// s = gamma / sqrt(var + eps); filter' = filter * s (per output channel); bias' = beta - mean * s.
/// Computed in float64, stored as float32. Convolutions: stride-1 ones padded by k/2 are SAME, unpadded
/// ones VALID; anything else is refused. Tensor names are the pretrained (TF-slim / Keras) layer names.
public enum FaceNetLowering {
    /// `metadata` entries are added to the model's `facenet_model_info` JSON (precision, LFW accuracy, ...).
    public static func lower(_ network: InceptionResNetV1, metadata: [String: Any] = [:]) throws -> TFLiteModel {
        try withNoGrad {
            var lowerer = Lowerer(network, metadata: metadata)
            return try lowerer.run()
        }
    }

    /// The text stored as the model's description and in its metadata: what the input must be.
    public static func describe(_ d: ModelDescription) -> String {
        "FaceNet InceptionResNetV1 '\(d.name)': \(d.embeddingSize)-D L2-normalised embedding of one face. Input "
            + "'input' float32 [1, \(d.inputSize), \(d.inputSize), 3] NHWC RGB, \(preprocessingText(d.preprocessing)); "
            + "output 'embedding' float32 [1, \(d.embeddingSize)]. Written by facenet export (Swift)."
    }

    static func preprocessingText(_ p: Preprocessing) -> String {
        switch p {
        case .prewhiten:
            "prewhitened per image: (x - mean) / max(std, 1/sqrt(N)) over all N = H*W*3 values of the 0-255 pixels"
        case .fixed:
            "scaled: (x - 127.5) / 128 of the 0-255 pixels"
        }
    }
}

private struct Lowerer {
    let network: InceptionResNetV1
    let extraMetadata: [String: Any]
    var g: GraphBuilder

    init(_ network: InceptionResNetV1, metadata: [String: Any]) {
        self.network = network
        extraMetadata = metadata
        g = GraphBuilder(description: FaceNetLowering.describe(network.description))
    }

    mutating func run() throws -> TFLiteModel {
        let d = network.description
        let input = g.newActivation("input", [1, d.inputSize, d.inputSize, 3])
        g.model.inputs = [input]
        var x = input
        for layer in [network.conv2d_1a, network.conv2d_2a, network.conv2d_2b] { x = try conv(x, layer) }
        x = g.maxPool(x, name: "MaxPool_3a_3x3", kernel: 3, stride: 2, padding: .valid)
        for layer in [network.conv2d_3b, network.conv2d_4a, network.conv2d_4b] { x = try conv(x, layer) }
        for block in network.repeat_1 {
            x = try residual(x, block, branches: [[block.branch0], block.branch1, block.branch2], up: block.conv2d)
        }
        x = try mixed6a(x, network.mixed_6a)
        for block in network.repeat_2 {
            x = try residual(x, block, branches: [[block.branch0], block.branch1], up: block.conv2d)
        }
        x = try mixed7a(x, network.mixed_7a)
        for block in network.repeat_3 + [network.block8] {
            x = try residual(x, block, branches: [[block.branch0], block.branch1], up: block.conv2d)
        }
        x = g.globalMean(x, name: "AvgPool")
        x = try bottleneck(x)
        let embedding = g.l2Normalize(x, name: "embedding")
        g.model.outputs = [embedding]
        g.model.signatureInputs = [("input", input)]
        g.model.signatureOutputs = [("embedding", embedding)]
        g.model.metadata = [("facenet_model_info", Array(try metadataJSON().utf8))]
        return g.model
    }

    func metadataJSON() throws -> String {
        let d = network.description
        var info: [String: Any] = [
            "name": d.name, "embedding_size": d.embeddingSize, "input_size": d.inputSize,
            "input_layout": "NHWC", "input_name": "input", "output_name": "embedding",
            "preprocessing": d.preprocessing.rawValue,
            "preprocessing_text": FaceNetLowering.preprocessingText(d.preprocessing),
        ]
        info.merge(extraMetadata) { _, extra in extra }
        return try ExportMetadata.json(info)
    }

    // MARK: layers

    /// A BasicConv2d: convolution, folded BatchNorm, fused RELU.
    mutating func conv(_ x: Int, _ layer: BasicConv2d) throws -> Int {
        let name = layer.kerasWeights[0].layer
        let (filter, bias) = try foldBatchNorm(weight: layer.conv.weight, bn: layer.bn)
        return try emitConv(x, name: name, conv: layer.conv, filterOIHW: filter, bias: bias, activation: .relu)
    }

    mutating func emitConv(
        _ x: Int, name: String, conv: Conv2d, filterOIHW: Tensor, bias: Tensor, activation: TFLiteActivation
    ) throws -> Int {
        let s = filterOIHW.shape  // [O, I, kh, kw]
        guard conv.stride.0 == conv.stride.1 else { throw UserError("\(name): unequal strides \(conv.stride)") }
        let padding: TFLitePadding
        if conv.padding == (0, 0) {
            padding = .valid
        } else if conv.stride.0 == 1, conv.padding == (s[2] / 2, s[3] / 2), s[2] % 2 == 1, s[3] % 2 == 1 {
            padding = .same
        } else {
            throw UserError("\(name): padding \(conv.padding) with stride \(conv.stride) has no TFLite equivalent")
        }
        // [O, I, kh, kw] -> [O, kh, kw, I]
        let ohwi = try filterOIHW.permuted([0, 2, 3, 1]).contiguous().to(.float32).floats()
        return g.conv2d(
            x, name: name, filterOHWI: ohwi, filterShape: [s[0], s[2], s[3], s[1]],
            bias: try bias.contiguous().to(.float32).floats(), stride: conv.stride.0, padding: padding,
            activation: activation)
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

    /// An Inception-ResNet block: branches, concatenation, scaled up-projection, ADD (+ RELU).
    mutating func residual(_ x: Int, _ block: Module, branches: [[BasicConv2d]], up: Conv2d) throws -> Int {
        let name = (block as? KerasNamed)?.kerasWeights.first.map { String($0.layer.dropLast("_Conv2d_1x1".count)) }
        guard let name else { throw UserError("\(type(of: block)): no pretrained layer names") }
        let (scale, relu) = try residualSettings(block, name: name)
        var outs: [Int] = []
        for branch in branches {
            var h = x
            for layer in branch { h = try conv(h, layer) }
            outs.append(h)
        }
        let mixed = g.concatenate(outs, name: "\(name)_Concatenate")
        guard let upBias = up.bias else { throw UserError("\(name)_Conv2d_1x1: the up-projection has no bias") }
        let filter = try up.weight.detached().contiguous().to(.float64) * scale
        let bias = try upBias.detached().to(.float64) * scale
        let projected = try emitConv(
            mixed, name: "\(name)_Conv2d_1x1", conv: up, filterOIHW: filter, bias: bias, activation: .none)
        return g.add(x, projected, name: name, activation: relu ? .relu : .none)
    }

    /// The block's residual scale and whether a RELU follows (the blocks keep them private; read by reflection).
    func residualSettings(_ block: Module, name: String) throws -> (Double, Bool) {
        var scale: Double?
        var relu = true
        for child in Mirror(reflecting: block).children {
            if child.label == "scale", let v = child.value as? Double { scale = v }
            if child.label == "relu", let v = child.value as? Bool { relu = v }
        }
        guard let scale else { throw UserError("\(name): residual scale not found") }
        return (scale, relu)
    }

    mutating func mixed6a(_ x: Int, _ m: Mixed6a) throws -> Int {
        let b0 = try conv(x, m.branch0)
        var b1 = x
        for layer in m.branch1 { b1 = try conv(b1, layer) }
        let pool = g.maxPool(x, name: "Mixed_6a_Branch_2_MaxPool_1a_3x3", kernel: 3, stride: 2, padding: .valid)
        return g.concatenate([b0, b1, pool], name: "Mixed_6a")
    }

    mutating func mixed7a(_ x: Int, _ m: Mixed7a) throws -> Int {
        var branches: [Int] = []
        for branch in [m.branch0, m.branch1, m.branch2] {
            var h = x
            for layer in branch { h = try conv(h, layer) }
            branches.append(h)
        }
        let pool = g.maxPool(x, name: "Mixed_7a_Branch_3_MaxPool_1a_3x3", kernel: 3, stride: 2, padding: .valid)
        return g.concatenate(branches + [pool], name: "Mixed_7a")
    }

    /// Bottleneck linear (no bias) with its BatchNorm folded: FULLY_CONNECTED, weights [out, in].
    mutating func bottleneck(_ x: Int) throws -> Int {
        let (w, b) = try foldBatchNorm(weight: network.last_linear.weight, bn: network.last_bn)
        if let linearBias = network.last_linear.bias, linearBias.count > 0 {
            throw UserError("Bottleneck: a bias before its BatchNorm is not supported")
        }
        return g.fullyConnected(
            x, name: "Bottleneck", weights: try w.to(.float32).floats(), out: network.description.embeddingSize,
            bias: try b.to(.float32).floats())
    }
}
