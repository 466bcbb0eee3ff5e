import CLinear
import Foundation
import Support

/// liblinear's L2-regularised logistic regression (`L2R_LR`, bias feature 1, one-vs-rest), which is
/// scikit-learn's `LogisticRegression(solver='liblinear')`.
public final class LinearClassifier: @unchecked Sendable {
    /// Inverse regularisation strength: scikit-learn's default `C=1.0` (LogisticRegression and SVC).
    public static let defaultC = 1.0
    /// Stopping tolerance: scikit-learn's LogisticRegression default `tol=1e-4` (liblinear's own is 0.01).
    public static let defaultTolerance = 1e-4

    let handle: OpaquePointer
    public let classCount: Int
    public let dimension: Int

    init(handle: OpaquePointer) throws {
        self.handle = handle
        var classes: Int32 = 0
        var features: Int32 = 0
        try check(cl_model_shape(&classes, &features, UnsafeRawPointer(handle)), "liblinear model")
        classCount = Int(classes)
        dimension = Int(features)
    }

    deinit { cl_model_free(UnsafeMutableRawPointer(handle)) }

    public convenience init(training set: TrainingSet, c: Double = LinearClassifier.defaultC, tolerance: Double = LinearClassifier.defaultTolerance) throws {
        var model: UnsafeMutableRawPointer?
        try set.vectors.withUnsafeBufferPointer { x in
            try set.labels.withUnsafeBufferPointer { y in
                try check(
                    cl_model_train(&model, x.baseAddress, y.baseAddress, Int32(set.count), Int32(set.dimension), Int32(set.names.count), c, tolerance),
                    "liblinear training")
            }
        }
        try self.init(handle: OpaquePointer(model!))
    }

    /// Loads liblinear's model text from `path`.
    public convenience init(liblinearFile path: String) throws {
        var model: UnsafeMutableRawPointer?
        try check(cl_model_load(&model, path), path)
        try self.init(handle: OpaquePointer(model!))
    }

    /// Writes liblinear's model text to `path` (callers write a temporary and rename it).
    public func save(liblinearFile path: String) throws {
        try check(cl_model_save(UnsafeRawPointer(handle), path), path)
    }

    public func predict(_ embedding: [Float]) throws -> ClassPrediction {
        guard embedding.count == dimension else {
            throw UserError("an embedding of \(embedding.count) values for a classifier of \(dimension)")
        }
        var out = [Double](repeating: 0, count: classCount)
        try check(cl_model_predict(&out, UnsafeRawPointer(handle), embedding, Int32(dimension)), "liblinear prediction")
        return ClassPrediction(probabilities: out)
    }
}

private func check(_ status: Int32, _ what: String) throws {
    if status != 0 { throw UserError("\(what): \(String(cString: cl_last_error()))") }
}
