/// Batch normalisation over the channels of NCHW input (also accepts [N, C] for BatchNorm1d use).
/// `scale: false` drops gamma (fixed at 1), as TF-slim's batch_norm default that FaceNet was trained with.
public final class BatchNorm2d: Module, Layer, @unchecked Sendable {
    public let weight: Tensor?
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor
    public let eps: Double
    /// The weight of a batch in the running statistics (1: they become the last batch's).
    public var momentum: Double
    /// In training mode, whether a forward pass folds the batch statistics into the running ones. Off for
    /// forward passes that only look (the mining pass of two-pass training), as TF only updates them with
    /// the training op.
    public var updatesRunningStatistics = true

    public init(_ channels: Int, eps: Double = 1e-5, momentum: Double = 0.1, scale: Bool = true) throws {
        weight = scale ? try Tensor.ones([channels]).requiringGrad() : nil
        bias = try Tensor.zeros([channels]).requiringGrad()
        runningMean = try Tensor.zeros([channels])
        runningVar = try Tensor.ones([channels])
        self.eps = eps
        self.momentum = momentum
        super.init()
    }

    override public var ownParameters: [(String, Tensor)] {
        (weight.map { [("weight", $0)] } ?? []) + [("bias", bias)]
    }

    override public var ownBuffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar)]
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let track = !isTraining || updatesRunningStatistics
        return try F.batchNorm(
            x, weight: weight, bias: bias, runningMean: track ? runningMean : nil, runningVar: track ? runningVar : nil,
            training: isTraining, momentum: momentum, eps: eps)
    }
}
