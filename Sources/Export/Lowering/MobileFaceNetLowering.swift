import Models
import Support
import TorchBridge

/// MobileFaceNet lowered (evaluation mode):
///
///     input [1, 112, 112, 3] NHWC
///       -> the trunk: [PAD] CONV_2D or DEPTHWISE_CONV_2D (BatchNorm folded) [-> PRELU] ... ADD (residual) ...
///       -> the GDConv: DEPTHWISE_CONV_2D 7x7 VALID -> [1, 1, 1, 512] -> RESHAPE [1, 512]
///       -> FULLY_CONNECTED (embedding BatchNorm folded) -> L2_NORMALIZATION
///
/// Tensor names are the module paths (`conv_3.model.0.conv_dw`), as the state dict names them.
extension MobileFaceNet: Lowerable {
    /// Dropout is the identity in evaluation mode and emits nothing.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        var x = try g.chain(trunk, input)
        x = g.flatten(x, name: g.name(of: conv_6_dw) + "/Flatten")
        x = try g.linear(x, linear, normalizedBy: bn)
        return g.l2Normalize(x, name: FaceNetLowering.outputName)
    }
}

extension ConvBlock: Lowerable {
    /// The convolution with its BatchNorm folded, then PRELU unless the block is linear.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        let (filter, bias) = try g.foldBatchNorm(weight: conv.weight, bn: bn)
        let y = try g.conv(input, name: g.name(of: self), conv: conv, filterOIHW: filter, bias: bias, activation: .none)
        return try prelu?.lower(into: &g, input: y) ?? y
    }
}

extension DepthWise: Lowerable {
    /// Its units, then ADD of the input when residual.
    func lower(into g: inout GraphBuilder, input x: Int) throws -> Int {
        let y = try g.chain(units, x)
        return residual ? g.add(x, y, name: g.name(of: self), activation: .none) : y
    }
}

extension ResidualStage: Lowerable {
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int { try g.chain(model, input) }
}
