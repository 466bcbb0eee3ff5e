import HDF5
import Support
import TorchBridge

/// Reads Keras 2 HDF5 weight files (`model.save` layout: `model_weights/<layer>/<layer>/<weight>:0`)
/// into a network that names its modules' Keras layers (`KerasNamed`).
public enum KerasImport {
    /// Copies every tensor the model lists from the file at `path`, converting layouts: conv kernels
    /// HWIO -> OIHW, dense kernels transposed. Fails naming the file and the first missing or misshapen dataset.
    public static func load(_ model: Module, from path: String) throws {
        guard let named = model as? any KerasNamed else {
            throw UserError("\(path): \(type(of: model)) has no Keras weights to import")
        }
        let file = try HDF5File(readingFrom: path)
        guard file.exists("model_weights") else {
            throw UserError("\(path): not a Keras model file (no group 'model_weights')")
        }
        try withNoGrad {
            for entry in weights(named) { try entry.tensor.copyFrom(read(entry, from: file, path: path)) }
        }
    }

    /// `model` with the weights of the Keras file at `path`, in evaluation mode.
    public static func loaded<Model: FaceEmbeddingModel>(_ model: Model, from path: String) throws -> Model {
        try load(model, from: path)
        model.eval()
        return model
    }

    /// Every model tensor with its dataset path: lets callers and tests check that import covers the model.
    public static func mapping(_ model: Module) -> [(dataset: String, tensor: Tensor)] {
        guard let named = model as? any KerasNamed else { return [] }
        return weights(named).map { ($0.datasetPath, $0.tensor) }
    }

    /// Each leaf layer's tensors under its Keras layer, the head first (the importer's order since it
    /// began: a file that stops early is named by its missing bottleneck), then the trunk in module order.
    static func weights(_ model: any KerasNamed) -> [KerasWeight] {
        let head = Set(((model as? any FaceEmbeddingModel)?.head ?? []).map(ObjectIdentifier.init))
        let modules = model.namedModules
        let isHead = { (entry: (String, Module)) in head.contains(ObjectIdentifier(entry.1)) }
        let ordered = modules.filter(isHead) + modules.filter { !isHead($0) }
        return ordered.flatMap { path, module in
            model.kerasLayer(at: path).map { KerasWeight.of(module, layer: $0) } ?? []
        }
    }

    static func read(_ entry: KerasWeight, from file: HDF5File, path: String) throws -> Tensor {
        let datasetPath = entry.datasetPath
        guard file.exists(datasetPath) else {
            throw UserError("\(path): missing dataset '\(datasetPath)'")
        }
        let dataset = try file.dataset(datasetPath)
        let shape = try dataset.shape()
        let values = try dataset.readFloats()
        guard values.allSatisfy(\.isFinite) else {
            throw UserError("\(path): dataset '\(datasetPath)' holds NaN or infinite values: the weights are damaged")
        }
        let stored = try Tensor(values, shape: shape)
        let converted: Tensor
        switch entry.layout {
        case .convHWIO:
            guard shape.count == 4 else { throw misshapen(path, datasetPath, shape, entry.tensor.shape) }
            converted = try stored.permuted([3, 2, 0, 1]).contiguous()  // [H, W, I, O] -> [O, I, H, W]
        case .denseInOut:
            guard shape.count == 2 else { throw misshapen(path, datasetPath, shape, entry.tensor.shape) }
            converted = try stored.t.contiguous()  // [in, out] -> [out, in]
        case .vector:
            converted = stored
        }
        guard converted.shape == entry.tensor.shape else {
            throw misshapen(path, datasetPath, shape, entry.tensor.shape)
        }
        return converted
    }

    static func misshapen(_ path: String, _ dataset: String, _ shape: [Int], _ expected: [Int]) -> UserError {
        UserError("\(path): dataset '\(dataset)' has shape \(shape), which does not fit the model's \(expected)")
    }
}

extension InceptionResNetV1 {
    /// The pretrained FaceNet (davidsandberg's 20170512-110547) from its Keras file, in evaluation mode.
    /// `path` defaults to the copy `scripts/setup.sh` puts in the weights cache.
    public static func pretrained(path: String = FacenetHome.pretrainedFaceNet) throws -> InceptionResNetV1 {
        try KerasImport.loaded(InceptionResNetV1(.facenet128), from: path)
    }
}
