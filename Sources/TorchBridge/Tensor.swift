import CTorch

/// A libtorch tensor. Owns one shim handle, freed when the value is released.
/// Handles are references: two Tensors may share storage (views), exactly as in C++.
public final class Tensor: @unchecked Sendable {
    let handle: ft_tensor

    init(owning handle: ft_tensor) {
        self.handle = handle
    }

    deinit {
        ft_tensor_free(handle)
    }

    // MARK: creation from Swift arrays

    /// A tensor holding a copy of `values` (row-major) with the given shape.
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int], device: Device = .cpu) throws {
        let count = shape.reduce(1, *)
        guard count == values.count else {
            throw TorchError(message: "shape \(shape) needs \(count) values, got \(values.count)")
        }
        let dims = shape.map(Int64.init)
        var out: ft_tensor?
        try values.withUnsafeBytes { raw in
            try check(ft_tensor_from_data(&out, raw.baseAddress, dims, Int32(dims.count), T.dtype.code, device.code))
        }
        self.init(owning: out!)
    }

    /// A 1-D tensor.
    public convenience init<T: TensorElement>(_ values: [T], device: Device = .cpu) throws {
        try self.init(values, shape: [values.count], device: device)
    }

    /// A tensor over raw bytes already laid out as `dtype` (used for image batches and weight files).
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType, device: Device = .cpu) throws {
        let dims = shape.map(Int64.init)
        var out: ft_tensor?
        try check(ft_tensor_from_data(&out, bytes.baseAddress, dims, Int32(dims.count), dtype.code, device.code))
        self.init(owning: out!)
    }

    // MARK: inspection

    public var rank: Int {
        var n: Int32 = 0
        _ = ft_tensor_ndim(handle, &n)
        return Int(n)
    }

    public var shape: [Int] {
        var dims = [Int64](repeating: 0, count: rank)
        _ = ft_tensor_shape(handle, &dims, Int32(dims.count))
        return dims.map(Int.init)
    }

    public var dtype: DType {
        get throws {
            var code = FT_FLOAT32
            try check(ft_tensor_dtype(handle, &code))
            return try DType(code: code)
        }
    }

    public var device: Device {
        get throws {
            var code = FT_CPU
            try check(ft_tensor_device(handle, &code))
            return try Device(code: code)
        }
    }

    public var count: Int {
        var n: Int64 = 0
        _ = ft_tensor_numel(handle, &n)
        return Int(n)
    }

    /// The elements converted to `T`, row-major.
    public func toArray<T: TensorElement>(_: T.Type = T.self) throws -> [T] {
        let n = count
        var result = [T](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        try result.withUnsafeMutableBytes { raw in
            try check(ft_tensor_copy_to(handle, raw.baseAddress, raw.count, T.dtype.code))
        }
        return result
    }

    /// Copies the elements converted to `T` into `buffer` (which must hold exactly `count` elements).
    public func copy<T: TensorElement>(into buffer: UnsafeMutableBufferPointer<T>) throws {
        try check(ft_tensor_copy_to(handle, buffer.baseAddress, buffer.count * MemoryLayout<T>.stride, T.dtype.code))
    }

    public func floats() throws -> [Float] { try toArray(Float.self) }

    /// Reads the elements of a contiguous tensor of `T` in place, without a copy (a million gallery rows are
    /// 512 MB). `body` must not keep the pointer, and nothing may write the tensor meanwhile.
    public func withBorrowedElements<T: TensorElement, R>(_: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) throws -> R {
        var raw: UnsafeRawPointer?
        try check(ft_tensor_borrow_data(&raw, handle, T.dtype.code))
        let n = count
        return try withExtendedLifetime(self) {
            try body(UnsafeBufferPointer(start: n == 0 ? nil : raw?.assumingMemoryBound(to: T.self), count: n))
        }
    }

    /// The single value of a one-element tensor.
    public func item() throws -> Double {
        var value = 0.0
        try check(ft_tensor_item(handle, &value))
        return value
    }

    public func isContiguous(channelsLast: Bool = false) -> Bool {
        var out: Int32 = 0
        _ = ft_tensor_is_contiguous(handle, channelsLast ? 1 : 0, &out)
        return out != 0
    }

    // MARK: copies and conversions

    /// Another handle to the same tensor (same storage, same autograd identity).
    public func alias() throws -> Tensor { try make { ft_tensor_shallow_clone($0, handle) } }
    public func clone() throws -> Tensor { try make { ft_tensor_clone($0, handle) } }
    public func detached() throws -> Tensor { try make { ft_tensor_detach($0, handle) } }
    public func contiguous() throws -> Tensor { try make { ft_tensor_contiguous($0, handle, 0) } }
    /// NHWC memory layout for a 4-D NCHW tensor (same logical shape); faster convolutions on CPU.
    public func channelsLast() throws -> Tensor { try make { ft_tensor_contiguous($0, handle, 1) } }
    /// The tensor on `device` as `dtype`: this tensor's own storage when both already match.
    public func to(device: Device, dtype: DType) throws -> Tensor {
        try make { ft_tensor_to($0, handle, device.code, dtype.code) }
    }

    /// As `dtype`, on the device it is on.
    public func to(_ dtype: DType) throws -> Tensor { try to(device: device, dtype: dtype) }

    /// Copies `source` into this tensor in place, without recording gradients (loading weights).
    public func copyFrom(_ source: Tensor) throws { try check(ft_tensor_copy_(handle, source.handle)) }

    /// Replaces this tensor's data (shape, layout) with `source`'s, keeping its autograd identity.
    public func setData(_ source: Tensor) throws { try check(ft_tensor_set_data(handle, source.handle)) }

    /// Fills in place without recording gradients.
    public func fill(_ value: Double) throws { try check(ft_tensor_fill_(handle, value)) }

    /// Moves this tensor in place a `weight` of the way towards `end`: self + weight * (end - self), one pass,
    /// without recording gradients (moving averages of weights).
    public func lerp(towards end: Tensor, weight: Double) throws { try check(ft_tensor_lerp_(handle, end.handle, weight)) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let type = (try? dtype).map { "\($0)" } ?? "unsupported dtype"
        return "Tensor(\(type), shape: \(shape))"
    }
}
