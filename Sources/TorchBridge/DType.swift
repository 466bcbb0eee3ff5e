import CTorch

/// Element types the bridge supports (a subset of libtorch's scalar types). `bfloat16` has no Swift element
/// type: its tensors are read by converting (`floats()`), written by `to(_:)`.
public enum DType: Sendable, Equatable {
    case float32, float64, int64, int32, uint8, bool, float16, int8, bfloat16

    var code: ft_dtype {
        switch self {
        case .float32: FT_FLOAT32
        case .float64: FT_FLOAT64
        case .int64: FT_INT64
        case .int32: FT_INT32
        case .uint8: FT_UINT8
        case .bool: FT_BOOL
        case .float16: FT_FLOAT16
        case .int8: FT_INT8
        case .bfloat16: FT_BFLOAT16
        }
    }

    /// The case of a shim code; a code this enum does not know is an error, never a silent float32.
    init(code: ft_dtype) throws {
        switch code {
        case FT_FLOAT32: self = .float32
        case FT_FLOAT64: self = .float64
        case FT_INT64: self = .int64
        case FT_INT32: self = .int32
        case FT_UINT8: self = .uint8
        case FT_BOOL: self = .bool
        case FT_FLOAT16: self = .float16
        case FT_INT8: self = .int8
        case FT_BFLOAT16: self = .bfloat16
        default: throw TorchError(message: "unknown dtype code \(code.rawValue) from the shim")
        }
    }

    public var isFloatingPoint: Bool { [.float32, .float64, .float16, .bfloat16].contains(self) }
}

/// Where a tensor lives. The shim builds the CPU only; creation and `to(device:dtype:)` take a device so that
/// a build with another one changes no call site.
public enum Device: Sendable, Equatable {
    case cpu

    var code: ft_device {
        switch self {
        case .cpu: FT_CPU
        }
    }

    init(code: ft_device) throws {
        switch code {
        case FT_CPU: self = .cpu
        default: throw TorchError(message: "unknown device code \(code.rawValue) from the shim")
        }
    }
}

/// Swift element types that map onto a `DType` with the same memory layout.
public protocol TensorElement {
    static var dtype: DType { get }
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
