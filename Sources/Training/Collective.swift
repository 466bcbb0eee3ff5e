import TorchBridge

/// What data-parallel training asks of the other ranks: the seam between the trainer and c10d / Gloo
/// (`GlooCollective`). `SingleProcess`, the one-rank case, does nothing, so one process trains exactly as
/// it did before ranks existed.
public protocol Collective: AnyObject {
    var rank: Int { get }
    var worldSize: Int { get }
    /// Every rank's `tensor` (the same shape on every rank), concatenated along dim 0 in rank order.
    func allGather(_ tensor: Tensor) throws -> Tensor
    /// The reducer of these parameters' gradients: finished after each backward pass,
    /// when each gradient is the sum over ranks divided by the world size (DDP's average).
    func gradientReducer(for parameters: [Tensor]) throws -> any GradientReducer
    /// Rank `root`'s values copied into `tensors` on every rank.
    func broadcast(_ tensors: [Tensor], root: Int) throws
    /// Returns when every rank has called it.
    func barrier() throws
    /// Runs `body` on rank 0 while the others wait for it as long as rank 0 is alive, however long `body`
    /// takes (validation, a whole LFW evaluation, outlasts any collective's timeout).
    func atRoot(_ body: () throws -> Void) throws
    /// True on every rank when `flag` is true on any: how the ranks agree to stop (a signal, a time limit)
    /// at the same point, so none is left waiting in a collective the others never join.
    func anyRank(_ flag: Bool) throws -> Bool
}

public protocol GradientReducer: AnyObject {
    func finish() throws
    /// Seconds the last `finish` waited for the other ranks' gradients.
    var lastWaitSeconds: Double { get }
}

/// One process: nothing to exchange.
public final class SingleProcess: Collective, GradientReducer {
    public init() {}
    public var rank: Int { 0 }
    public var worldSize: Int { 1 }
    public func allGather(_ tensor: Tensor) throws -> Tensor { tensor }
    public func gradientReducer(for parameters: [Tensor]) throws -> any GradientReducer { self }
    public func broadcast(_ tensors: [Tensor], root: Int) throws {}
    public func barrier() throws {}
    public func atRoot(_ body: () throws -> Void) throws { try body() }
    public func anyRank(_ flag: Bool) throws -> Bool { flag }
    public func finish() throws {}
    public var lastWaitSeconds: Double { 0 }
}

extension Collective {
    /// The rows of `count` this rank works on: contiguous, in rank order, the first `count % worldSize`
    /// ranks one row more (DistributedSampler's split of one batch, without its padding).
    public func share(of count: Int) -> Range<Int> { share(of: count, rank: rank) }

    /// Rank `rank`'s share (rank 0's is the largest).
    public func share(of count: Int, rank: Int) -> Range<Int> {
        let base = count / worldSize
        let extra = count % worldSize
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }

    /// Every rank's share of `count` rows (`local`: this rank's) in row order. Gloo gathers equal shapes, so
    /// shares are padded to the largest and the padding dropped.
    public func gatherRows(_ local: Tensor, count: Int) throws -> Tensor {
        guard worldSize > 1 else { return local }
        let largest = (count + worldSize - 1) / worldSize
        var padded = local
        if local.shape[0] < largest {
            var shape = local.shape
            shape[0] = largest - local.shape[0]
            padded = try Tensor.cat([local, try Tensor.zeros(shape)], dim: 0)
        }
        let all = try allGather(padded)
        let parts = try (0..<worldSize).map { r -> Tensor in
            let rows = share(of: count, rank: r)
            return try all.narrowed(dim: 0, (r * largest)..<(r * largest + rows.count))
        }
        return try Tensor.cat(parts, dim: 0)
    }

    /// `gatherRows` for embeddings computed with gradients: this rank's rows keep theirs and the other ranks'
    /// are constants (pytorch-metric-learning's `utils/distributed.py`), so a loss over every row
    /// back-propagates into this rank's share only; the reducer's sum over ranks adds the shares up.
    public func gatherKeepingLocalGradient(_ local: Tensor, count: Int) throws -> Tensor {
        guard worldSize > 1 else { return local }
        let all = try gatherRows(local.detached(), count: count)
        let mine = share(of: count)
        var parts: [Tensor] = []
        if mine.lowerBound > 0 { parts.append(try all.narrowed(dim: 0, 0..<mine.lowerBound)) }
        parts.append(local)
        if mine.upperBound < count { parts.append(try all.narrowed(dim: 0, mine.upperBound..<count)) }
        return try Tensor.cat(parts, dim: 0)
    }
}
