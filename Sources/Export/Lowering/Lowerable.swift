import Support
import TorchBridge

/// A module that describes its own graph for the exporter: the TFLite operators of its forward pass, in
/// the same order, from its public parts. A network lowers itself by lowering its children in its own
/// forward order; `FaceNetLowering` adds the input, the outputs and the metadata around it.
protocol Lowerable {
    /// Emits the module's operators on the NHWC tensor `input`; returns its output tensor.
    func lower(into g: inout GraphBuilder, input: Int) throws -> Int
}

extension GraphBuilder {
    /// Lowers `layers` one after another, each on the previous one's output.
    mutating func chain(_ layers: [any Layer], _ input: Int) throws -> Int {
        var x = input
        for layer in layers {
            guard let lowerable = layer as? Lowerable else { throw UserError("\(type(of: layer)): no TFLite lowering") }
            x = try lowerable.lower(into: &self, input: x)
        }
        return x
    }
}
