import HDF5
import Support
import TorchBridge

/// Reads Keras 2 HDF5 weight files (`model.save` layout: `model_weights/<layer>/<layer>/<weight>:0`)
/// into a module tree whose layers declare their Keras names (`KerasNamed`).
public enum KerasImport {
    /// Copies every tensor the model lists from the file at `path`, converting layouts: conv kernels
    /// HWIO -> OIHW, dense kernels transposed. Fails naming the file and the first missing or misshapen dataset.
    public static func load(_ model: Module, from path: String) throws {
        let file = try HDF5File(readingFrom: path)
        guard file.exists("model_weights") else {
            throw UserError("\(path): not a Keras model file (no group 'model_weights')")
        }
        try withNoGrad {
            for (_, module) in model.namedModules {
                guard let named = module as? KerasNamed else { continue }
                for entry in named.kerasWeights {
                    try entry.tensor.copyFrom(read(entry, from: file, path: path))
                }
            }
        }
    }

    /// Every model tensor with its dataset path: lets callers and tests check that import covers the model.
    public static func mapping(_ model: Module) -> [(dataset: String, tensor: Tensor)] {
        model.namedModules.flatMap { _, module in
            (module as? KerasNamed)?.kerasWeights.map { ($0.datasetPath, $0.tensor) } ?? []
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
        let model = try InceptionResNetV1(.facenet128)
        try KerasImport.load(model, from: path)
        model.eval()
        return model
    }
}
