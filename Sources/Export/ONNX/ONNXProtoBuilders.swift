import Foundation
import ONNXProto

/// One dimension of an ONNX tensor shape: a fixed length or a symbolic name such as "batch".
enum ONNXDimension: Equatable {
    case fixed(Int)
    case symbolic(String)
}

/// Small constructors for the onnx.proto messages the writer emits (field meanings: onnx 1.23.2's onnx.proto).
enum ONNXProtoBuilders {
    /// `NodeProto` of the default ("ai.onnx") domain.
    static func node(
        _ opType: String, name: String, inputs: [String], outputs: [String], attributes: [Onnx_AttributeProto] = []
    ) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = opType
        n.name = name
        n.input = inputs
        n.output = outputs
        n.attribute = attributes
        return n
    }

    static func attribute(_ name: String, int value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    static func attribute(_ name: String, ints values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    /// A float32 initializer. `littleEndianBytes` are the values as `raw_data` wants them (little-endian float32,
    /// row-major over `dims`).
    static func floatTensor(_ name: String, dims: [Int], littleEndianBytes: Data) -> Onnx_TensorProto {
        precondition(littleEndianBytes.count == 4 * dims.reduce(1, *), "\(name): \(littleEndianBytes.count) bytes for \(dims)")
        var t = tensor(name, dims: dims, type: .float)
        t.rawData = littleEndianBytes
        return t
    }

    /// An int64 initializer (Pad's `pads`).
    static func int64Tensor(_ name: String, dims: [Int], values: [Int64]) -> Onnx_TensorProto {
        precondition(values.count == dims.reduce(1, *), "\(name): \(values.count) values for \(dims)")
        var t = tensor(name, dims: dims, type: .int64)
        t.int64Data = values
        return t
    }

    /// An initializer's name, shape and element type, without its values.
    private static func tensor(_ name: String, dims: [Int], type: Onnx_TensorProto.DataType) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        t.dataType = Int32(type.rawValue)
        return t
    }

    /// `ValueInfoProto` of a float32 tensor with the given shape.
    static func floatValueInfo(_ name: String, shape: [ONNXDimension]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensorType.shape.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            switch d {
            case .fixed(let n): dim.dimValue = Int64(n)
            case .symbolic(let s): dim.dimParam = s
            }
            return dim
        }
        var v = Onnx_ValueInfoProto()
        v.name = name
        v.type.tensorType = tensorType
        return v
    }

    static func stringEntry(_ key: String, _ value: String) -> Onnx_StringStringEntryProto {
        var e = Onnx_StringStringEntryProto()
        e.key = key
        e.value = value
        return e
    }
}
