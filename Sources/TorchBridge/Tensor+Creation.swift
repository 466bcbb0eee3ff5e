import CTorch

extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { ft_zeros($0, dims, Int32(dims.count), dtype.code, device.code) }
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { ft_ones($0, dims, Int32(dims.count), dtype.code, device.code) }
    }

    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { ft_full($0, dims, Int32(dims.count), value, dtype.code, device.code) }
    }

    /// A 0-dimensional tensor.
    public static func scalar(_ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try make { ft_full($0, nil, 0, value, dtype.code, device.code) }
    }

    /// Uniform on [0, 1) from libtorch's generator (see `Torch.manualSeed`).
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { ft_rand($0, dims, Int32(dims.count), dtype.code, device.code) }
    }

    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { ft_randn($0, dims, Int32(dims.count), dtype.code, device.code) }
    }

    /// Integers uniform on `range`.
    public static func randint(_ range: Range<Int>, shape: [Int], device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { ft_randint($0, Int64(range.lowerBound), Int64(range.upperBound), dims, Int32(dims.count), device.code) }
    }

    public static func randperm(_ n: Int, device: Device = .cpu) throws -> Tensor {
        try make { ft_randperm($0, Int64(n), device.code) }
    }

    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .int64, device: Device = .cpu) throws
        -> Tensor
    {
        try make { ft_arange($0, start, end, step, dtype.code, device.code) }
    }

    public static func arange(_ n: Int, dtype: DType = .int64, device: Device = .cpu) throws -> Tensor {
        try arange(0, Double(n), dtype: dtype, device: device)
    }

    public static func eye(_ n: Int, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try make { ft_eye($0, Int64(n), dtype.code, device.code) }
    }
}
