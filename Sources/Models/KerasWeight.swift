import TorchBridge

/// How a tensor is stored in a Keras/TensorFlow weight file, and so how to bring it to libtorch's layout.
public enum KerasLayout: Sendable {
    /// A conv kernel stored [H, W, in, out]; libtorch wants [out, in, H, W].
    case convHWIO
    /// A dense kernel stored [in, out]; libtorch wants [out, in].
    case denseInOut
    /// A vector (bias, BatchNorm beta / moving mean / moving variance): no change.
    case vector
}

/// One model tensor and where the pretrained Keras file keeps it: dataset
/// `model_weights/<layer>/<layer>/<weight>:0`.
public struct KerasWeight {
    public let tensor: Tensor
    public let layer: String
    public let weight: String
    public let layout: KerasLayout

    public var datasetPath: String { "model_weights/\(layer)/\(layer)/\(weight):0" }

    /// The tensors a leaf layer keeps under its Keras layer `layer`, with Keras's weight names; none for
    /// a module that holds no tensors itself.
    static func of(_ module: Module, layer: String) -> [KerasWeight] {
        func entry(_ tensor: Tensor, _ weight: String, _ layout: KerasLayout) -> KerasWeight {
            KerasWeight(tensor: tensor, layer: layer, weight: weight, layout: layout)
        }
        switch module {
        case let conv as Conv2d:
            return [entry(conv.weight, "kernel", .convHWIO)] + (conv.bias.map { [entry($0, "bias", .vector)] } ?? [])
        case let dense as Linear:
            return [entry(dense.weight, "kernel", .denseInOut)] + (dense.bias.map { [entry($0, "bias", .vector)] } ?? [])
        case let bn as BatchNorm2d:
            return (bn.weight.map { [entry($0, "gamma", .vector)] } ?? [])
                + [entry(bn.bias, "beta", .vector), entry(bn.runningMean, "moving_mean", .vector),
                   entry(bn.runningVar, "moving_variance", .vector)]
        default:
            return []
        }
    }
}

/// A network whose pretrained weights come from a Keras file: the Keras layer name of each of its modules.
/// The importer walks the module tree and copies each leaf layer's tensors from its layer: a plain mapping.
/// The exporter names its operators with the same names.
public protocol KerasNamed: Module {
    /// The Keras layer of the module at `path` (a `namedModules` path, facenet-pytorch's name), or nil.
    func kerasLayer(at path: String) -> String?
}
