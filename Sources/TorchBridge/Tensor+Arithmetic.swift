import CTorch

// Element-wise arithmetic, comparisons and masking (broadcasting as libtorch does).
extension Tensor {
    func unary(_ op: ft_unary_op) throws -> Tensor { try make { ft_unary($0, handle, op) } }
    func binary(_ other: Tensor, _ op: ft_binary_op) throws -> Tensor {
        try make { ft_binary($0, handle, other.handle, op) }
    }
    func binary(_ scalar: Double, _ op: ft_binary_op) throws -> Tensor {
        try make { ft_binary_scalar($0, handle, scalar, op) }
    }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, FT_ADD) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, FT_SUB) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, FT_MUL) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(b, FT_DIV) }
    public static func + (a: Tensor, b: Double) throws -> Tensor { try a.binary(b, FT_ADD) }
    public static func - (a: Tensor, b: Double) throws -> Tensor { try a.binary(b, FT_SUB) }
    public static func * (a: Tensor, b: Double) throws -> Tensor { try a.binary(b, FT_MUL) }
    public static func / (a: Tensor, b: Double) throws -> Tensor { try a.binary(b, FT_DIV) }
    public static func + (a: Double, b: Tensor) throws -> Tensor { try b.binary(a, FT_ADD) }
    public static func * (a: Double, b: Tensor) throws -> Tensor { try b.binary(a, FT_MUL) }
    public static func - (a: Double, b: Tensor) throws -> Tensor {
        try make { ft_scalar_binary($0, a, b.handle, FT_SUB) }
    }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(FT_NEG) }

    public func pow(_ exponent: Double) throws -> Tensor { try binary(exponent, FT_POW) }
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(other, FT_MAXIMUM) }
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(other, FT_MINIMUM) }
    /// max(x, value) element-wise (clamp_min).
    public func clamped(min value: Double) throws -> Tensor { try binary(value, FT_MAXIMUM) }
    /// min(x, value) element-wise (clamp_max).
    public func clamped(max value: Double) throws -> Tensor { try binary(value, FT_MINIMUM) }
    public func clamped(_ range: ClosedRange<Double>) throws -> Tensor {
        try make { ft_clamp($0, handle, range.lowerBound, range.upperBound) }
    }

    public func abs() throws -> Tensor { try unary(FT_ABS) }
    public func exp() throws -> Tensor { try unary(FT_EXP) }
    public func log() throws -> Tensor { try unary(FT_LOG) }
    public func sqrt() throws -> Tensor { try unary(FT_SQRT) }
    public func rsqrt() throws -> Tensor { try unary(FT_RSQRT) }
    public func square() throws -> Tensor { try unary(FT_SQUARE) }
    public func reciprocal() throws -> Tensor { try unary(FT_RECIPROCAL) }
    public func relu() throws -> Tensor { try unary(FT_RELU) }

    /// relu in place (autograd records it). Only on a tensor no other operation saved for its backward
    /// pass, or backward fails with libtorch's "modified by an inplace operation" error.
    @discardableResult
    public func relu_() throws -> Tensor {
        try check(ft_relu_(handle))
        return self
    }

    /// self + alpha * other in one pass.
    public func adding(_ other: Tensor, scaledBy alpha: Double) throws -> Tensor {
        try make { ft_add_scaled($0, handle, other.handle, alpha) }
    }
    public func sigmoid() throws -> Tensor { try unary(FT_SIGMOID) }
    public func tanh() throws -> Tensor { try unary(FT_TANH) }
    public func sign() throws -> Tensor { try unary(FT_SIGN) }
    public func floor() throws -> Tensor { try unary(FT_FLOOR) }
    public func ceil() throws -> Tensor { try unary(FT_CEIL) }
    public func rounded() throws -> Tensor { try unary(FT_ROUND) }
    public func isNaN() throws -> Tensor { try unary(FT_ISNAN) }
    public func isFinite() throws -> Tensor { try unary(FT_ISFINITE) }

    // Comparisons give bool tensors.
    public func eq(_ other: Tensor) throws -> Tensor { try binary(other, FT_EQ) }
    public func ne(_ other: Tensor) throws -> Tensor { try binary(other, FT_NE) }
    public func lt(_ other: Tensor) throws -> Tensor { try binary(other, FT_LT) }
    public func le(_ other: Tensor) throws -> Tensor { try binary(other, FT_LE) }
    public func gt(_ other: Tensor) throws -> Tensor { try binary(other, FT_GT) }
    public func ge(_ other: Tensor) throws -> Tensor { try binary(other, FT_GE) }
    public func eq(_ value: Double) throws -> Tensor { try binary(value, FT_EQ) }
    public func ne(_ value: Double) throws -> Tensor { try binary(value, FT_NE) }
    public func lt(_ value: Double) throws -> Tensor { try binary(value, FT_LT) }
    public func le(_ value: Double) throws -> Tensor { try binary(value, FT_LE) }
    public func gt(_ value: Double) throws -> Tensor { try binary(value, FT_GT) }
    public func ge(_ value: Double) throws -> Tensor { try binary(value, FT_GE) }
    public func and(_ other: Tensor) throws -> Tensor { try binary(other, FT_LOGICAL_AND) }
    public func or(_ other: Tensor) throws -> Tensor { try binary(other, FT_LOGICAL_OR) }
    public func not() throws -> Tensor { try unary(FT_LOGICAL_NOT) }

    /// `condition ? self : other`, element-wise.
    public func `where`(_ condition: Tensor, else other: Tensor) throws -> Tensor {
        try make { ft_where($0, condition.handle, handle, other.handle) }
    }

    public func maskedFill(_ mask: Tensor, with value: Double) throws -> Tensor {
        try make { ft_masked_fill($0, handle, mask.handle, value) }
    }
}
