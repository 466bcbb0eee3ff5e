import Models
import Support
import TorchBridge

/// Inception-ResNet-v1 lowered (evaluation mode):
///
///     input [1, S, S, 3] NHWC
///       -> the trunk: CONV_2D (BatchNorm folded, fused RELU) ... MAX_POOL_2D ... CONCATENATION (axis 3)
///       -> MEAN over axes [1, 2] -> FULLY_CONNECTED (bottleneck BatchNorm folded) -> L2_NORMALIZATION
///
/// Tensor names are the pretrained (TF-slim / Keras) layer names (`KerasNamed`).
extension InceptionResNetV1: Lowerable {
    /// Dropout is the identity in evaluation mode and emits nothing.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        var x = try g.chain(trunk, input)
        x = g.globalMean(x, name: "AvgPool")
        x = try g.linear(x, last_linear, normalizedBy: last_bn)
        return g.l2Normalize(x, name: FaceNetLowering.outputName)
    }
}

extension Lowerable where Self: InceptionResidual {
    /// The branches, CONCATENATION, the up-projection CONV_2D with the residual scale folded into its weights
    /// and bias, ADD with fused RELU (none when the block has no activation).
    func lower(into g: inout GraphBuilder, input x: Int) throws -> Int {
        let name = g.name(of: self)
        let branchOutputs = try branches.map { try g.chain($0, x) }
        let mixed = g.concatenate(branchOutputs, name: "\(name)_Concatenate")
        let upName = g.name(of: conv2d)
        guard let upBias = conv2d.bias else { throw UserError("\(upName): the up-projection has no bias") }
        let filter = try conv2d.weight.detached().contiguous().to(.float64) * scale
        let bias = try upBias.detached().to(.float64) * scale
        let projected = try g.conv(mixed, name: upName, conv: conv2d, filterOIHW: filter, bias: bias, activation: .none)
        return g.add(x, projected, name: name, activation: relu ? .relu : .none)
    }
}

extension Lowerable where Self: InceptionReduction {
    /// The convolution branches, the MAX_POOL_2D branch, CONCATENATION.
    func lower(into g: inout GraphBuilder, input x: Int) throws -> Int {
        var branchOutputs = try branches.map { try g.chain($0, x) }
        branchOutputs.append(try pool.lower(into: &g, input: x))
        return g.concatenate(branchOutputs, name: g.name(of: self))
    }
}

extension Block35: Lowerable {}
extension Block17: Lowerable {}
extension Block8: Lowerable {}
extension Mixed6a: Lowerable {}
extension Mixed7a: Lowerable {}
