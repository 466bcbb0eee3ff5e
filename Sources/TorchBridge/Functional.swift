import CTorch

/// Stateless neural-network operations (the torch.nn.functional subset the models and losses use).
public enum F {
    /// 2-D convolution of NCHW `x` with OIHW `weight`.
    public static func conv2d(
        _ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
        padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1
    ) throws -> Tensor {
        let s = [Int64(stride.0), Int64(stride.1)]
        let p = [Int64(padding.0), Int64(padding.1)]
        let d = [Int64(dilation.0), Int64(dilation.1)]
        return try withExtendedLifetime(bias) {
            try make { ft_conv2d($0, x.handle, weight.handle, bias?.handle, s, p, d, Int64(groups)) }
        }
    }

    /// Batch normalisation; in training mode the running statistics are updated in place.
    public static func batchNorm(
        _ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
        training: Bool, momentum: Double, eps: Double
    ) throws -> Tensor {
        try withExtendedLifetime((weight, bias, runningMean, runningVar)) {
            try make {
                ft_batch_norm(
                    $0, x.handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle,
                    training ? 1 : 0, momentum, eps)
            }
        }
    }

    public static func maxPool2d(
        _ x: Tensor, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0), ceilMode: Bool = false
    ) throws -> Tensor {
        let k = [Int64(kernel.0), Int64(kernel.1)]
        let s = [Int64(stride.0), Int64(stride.1)]
        let p = [Int64(padding.0), Int64(padding.1)]
        return try make { ft_max_pool2d($0, x.handle, k, s, p, ceilMode ? 1 : 0) }
    }

    public static func avgPool2d(
        _ x: Tensor, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0), ceilMode: Bool = false,
        countIncludePad: Bool = true
    ) throws -> Tensor {
        let k = [Int64(kernel.0), Int64(kernel.1)]
        let s = [Int64(stride.0), Int64(stride.1)]
        let p = [Int64(padding.0), Int64(padding.1)]
        return try make { ft_avg_pool2d($0, x.handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0) }
    }

    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) throws -> Tensor {
        try make { ft_adaptive_avg_pool2d($0, x.handle, Int64(outputSize.0), Int64(outputSize.1)) }
    }

    /// x W^T + b.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try withExtendedLifetime(bias) { try make { ft_linear($0, x.handle, weight.handle, bias?.handle) } }
    }

    public static func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor {
        try make { ft_prelu($0, x.handle, weight.handle) }
    }

    /// Pads with `value`: `pads` holds (begin, end) pairs from the last dimension backwards, as
    /// torch.nn.functional.pad (e.g. [left, right, top, bottom] for NCHW).
    public static func pad(_ x: Tensor, _ pads: [Int], value: Double = 0) throws -> Tensor {
        let p = pads.map(Int64.init)
        return try make { ft_constant_pad($0, x.handle, p, Int32(p.count), value) }
    }

    public static func dropout(_ x: Tensor, p: Double, training: Bool) throws -> Tensor {
        try make { ft_dropout($0, x.handle, p, training ? 1 : 0) }
    }

    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor { try make { ft_softmax($0, x.handle, Int64(dim)) } }

    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor {
        try make { ft_log_softmax($0, x.handle, Int64(dim)) }
    }

    /// x / max(||x||_p, eps) along `dim`, as torch.nn.functional.normalize.
    public static func normalize(_ x: Tensor, p: Double = 2, dim: Int = 1, eps: Double = 1e-12) throws -> Tensor {
        try make { ft_normalize($0, x.handle, p, Int64(dim), eps) }
    }

    public enum Interpolation { case nearest, bilinear, area }

    /// Resizes the spatial dimensions of an NCHW tensor.
    public static func interpolate(
        _ x: Tensor, size: (Int, Int), mode: Interpolation, alignCorners: Bool = false
    ) throws -> Tensor {
        let m: ft_interpolation =
            switch mode {
            case .nearest: FT_NEAREST
            case .bilinear: FT_BILINEAR
            case .area: FT_AREA
            }
        return try make { ft_interpolate($0, x.handle, Int64(size.0), Int64(size.1), m, alignCorners ? 1 : 0) }
    }

    /// Squared Euclidean distances between the rows of `a` [n, d] and `b` [m, d]: [n, m], clamped at 0.
    /// Computed as |a|^2 + |b|^2 - 2ab^T so that it is one matrix product.
    public static func pairwiseSquaredDistances(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let aa = try a.square().sum(dims: [1], keepDim: true)  // [n, 1]
        let bb = try b.square().sum(dims: [1], keepDim: true).t  // [1, m]
        let ab = try a.matmul(b.t)  // [n, m]
        return try (aa + bb - ab * 2).clamped(min: 0)
    }
}
