import TorchBridge

/// Exponential moving average of the model's parameters and buffers, kept for evaluation and export, as
/// TF's `ExponentialMovingAverage(decay, num_updates=global_step)` that davidsandberg/facenet applies:
/// shadow = d * shadow + (1 - d) * value with d = min(decay, (1 + step) / (10 + step)).
public final class WeightAverage {
    public let decay: Double
    public private(set) var names: [String]
    public private(set) var shadows: [Tensor]

    public init(model: Module, decay: Double) throws {
        self.decay = decay
        names = model.stateDict.map(\.0)
        shadows = try withNoGrad { try model.stateDict.map { try $0.1.detached().clone() } }
    }

    /// Folds the model's current values in after optimizer step `step` (0-based).
    public func update(from model: Module, step: Int) throws {
        let d = min(decay, Double(1 + step) / Double(10 + step))
        // shadow + (1 - d) (value - shadow) = d shadow + (1 - d) value, in place: one pass per tensor.
        for (shadow, (_, value)) in zip(shadows, model.stateDict) { try shadow.lerp(towards: value, weight: 1 - d) }
    }

    /// The averaged tensors by name (a state dict for `Module.loadStateDict`).
    public var stateDict: [String: Tensor] { Dictionary(uniqueKeysWithValues: zip(names, shadows)) }

    /// Replaces the shadows (resuming from a checkpoint).
    public func load(_ state: [String: Tensor]) throws {
        for (name, shadow) in zip(names, shadows) {
            guard let value = state[name] else { throw TorchError(message: "weight average lacks '\(name)'") }
            try shadow.copyFrom(value)
        }
    }
}
