import Foundation
import HDF5
import Models
import Support
import TorchBridge

/// Everything needed to continue a run exactly, in one HDF5 file readable by h5py (docs/formats.md):
/// - `model/<name>` and `ema/<name>`: float32 tensors of the state dict and of its moving average;
/// - `optimizer_state`: uint8, libtorch's serialised optimizer state (moments, step counts);
/// - `pending_triplets`: int64 [T, 3], the triplets of the current outer batch still to train on (two-pass
///   mode), with attributes `outer_batch` and `pending_position`, so a resumed run continues mid-batch exactly;
/// - attributes `backbone` (the network, `Backbone`'s name; absent in files written before there was a
///   choice: inception-resnet-v1), `step`, `epoch`, `sampler_state` (JSON), `config` (JSON), `created`.
/// Written to a temporary file and renamed, so a crash never leaves a broken checkpoint.
public struct Checkpoint {
    public var step: Int
    public var epoch: Int
    public var model: [(String, Tensor)]
    public var ema: [(String, Tensor)]
    public var optimizerState: [UInt8]
    public var samplerState: String
    public var config: String
    /// The outer batch being trained, the triplets mined from it and how many of them are done.
    public var outerBatch: Int = 0
    public var pendingTriplets: [Int64] = []
    public var pendingPosition: Int = 0
    /// The network the weights are for.
    public var backbone: Backbone = .inceptionResNetV1

    public init(
        step: Int, epoch: Int, model: [(String, Tensor)], ema: [(String, Tensor)], optimizerState: [UInt8],
        samplerState: String, config: String
    ) {
        self.step = step
        self.epoch = epoch
        self.model = model
        self.ema = ema
        self.optimizerState = optimizerState
        self.samplerState = samplerState
        self.config = config
    }

    public func write(to path: String) throws {
        try AtomicFile.produce(path) { temporary in
            let file = try HDF5File(creating: temporary)
            for (group, tensors) in [("model", model), ("ema", ema)] {
                for (name, tensor) in tensors {
                    try file.createDataset("\(group)/\(name)", values: try tensor.floats(), shape: tensor.shape)
                }
            }
            try file.createDataset("optimizer_state", values: optimizerState)
            try file.createDataset("pending_triplets", values: pendingTriplets, shape: [pendingTriplets.count / 3, 3])
            try file.writeAttribute("outer_batch", value: Int64(outerBatch))
            try file.writeAttribute("pending_position", value: Int64(pendingPosition))
            try file.writeAttribute("backbone", string: backbone.rawValue)
            try file.writeAttribute("step", value: Int64(step))
            try file.writeAttribute("epoch", value: Int64(epoch))
            try file.writeAttribute("sampler_state", string: samplerState)
            try file.writeAttribute("config", string: config)
            try file.writeAttribute("created", string: ISO8601DateFormatter().string(from: Date()))
            try file.close()
        }
    }

    public static func read(from path: String) throws -> Checkpoint {
        let file = try HDF5File(readingFrom: path)
        func tensors(_ group: String) throws -> [(String, Tensor)] {
            guard file.exists(group) else { return [] }
            return try file.group(group).memberNames().map { name in
                let dataset = try file.dataset("\(group)/\(name)")
                return (name, try Tensor(dataset.readFloats(), shape: dataset.shape()))
            }
        }
        guard file.exists("model") else { throw UserError("\(path): not a facenet checkpoint (no group 'model')") }
        var checkpoint = Checkpoint(
            step: Int(try file.readScalarAttribute("step", as: Int64.self)),
            epoch: Int(try file.readScalarAttribute("epoch", as: Int64.self)), model: try tensors("model"),
            ema: try tensors("ema"),
            optimizerState: file.exists("optimizer_state") ? try file.dataset("optimizer_state").readBytes() : [],
            samplerState: try file.readStringAttribute("sampler_state"), config: try file.readStringAttribute("config"))
        checkpoint.backbone = try storedBackbone(of: file, path: path)
        if file.exists("pending_triplets") {
            checkpoint.pendingTriplets = try file.dataset("pending_triplets").readInt64s()
            checkpoint.outerBatch = Int(try file.readScalarAttribute("outer_batch", as: Int64.self))
            checkpoint.pendingPosition = Int(try file.readScalarAttribute("pending_position", as: Int64.self))
        }
        return checkpoint
    }

    /// The `backbone` attribute; a checkpoint written before it existed holds an Inception-ResNet-v1.
    static func storedBackbone(of file: HDF5File, path: String) throws -> Backbone {
        guard try file.hasAttribute("backbone") else { return .inceptionResNetV1 }
        let name = try file.readStringAttribute("backbone")
        guard let backbone = Backbone(rawValue: name) else {
            throw UserError("\(path): backbone '\(name)' is none this facenet knows (\(Backbone.allowedText))")
        }
        return backbone
    }

    /// The optimizer step a checkpoint file was written at, without reading its tensors.
    public static func step(at path: String) throws -> Int {
        Int(try HDF5File(readingFrom: path).readScalarAttribute("step", as: Int64.self))
    }

    /// The config a checkpoint file was written with (its `config` attribute), without reading its tensors.
    public static func storedConfig(at path: String) throws -> TrainingConfig {
        try ConfigLoader.decodeStored(Data(try HDF5File(readingFrom: path).readStringAttribute("config").utf8))
    }

    /// The weights to evaluate or export: the moving average when the checkpoint has one.
    public var evaluationWeights: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: ema.isEmpty ? model : ema)
    }
}
