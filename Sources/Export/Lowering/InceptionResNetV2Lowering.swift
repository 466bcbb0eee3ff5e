import Models
import TorchBridge

/// Inception-ResNet-v2 lowered (evaluation mode): the trunk as Inception-ResNet-v1's (its blocks lower
/// themselves) with Mixed_5b's AVERAGE_POOL_2D branch, then
///
///     MEAN over axes [1, 2] -> FULLY_CONNECTED (dense, BatchNorm folded, fused RELU)
///       -> FULLY_CONNECTED (embedding, BatchNorm folded) -> L2_NORMALIZATION
///
/// Tensor names are the module paths (timm's state-dict names); there is no Keras file to follow.
extension InceptionResNetV2: Lowerable {
    /// Dropout is the identity in evaluation mode and emits nothing.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int {
        var x = try g.chain(trunk, input)
        x = g.globalMean(x, name: "AvgPool")
        x = try g.linear(x, dense, normalizedBy: dense_bn, activation: .relu)
        x = try g.linear(x, last_linear, normalizedBy: last_bn)
        return g.l2Normalize(x, name: FaceNetLowering.outputName)
    }
}

extension Mixed5b: Lowerable {
    /// The four branches (the last one AVERAGE_POOL_2D then CONV_2D), CONCATENATION.
    func lower(into g: inout GraphBuilder, input x: Int) throws -> Int {
        let branchOutputs = try branches.map { try g.chain($0, x) }
        return g.concatenate(branchOutputs, name: g.name(of: self))
    }
}
