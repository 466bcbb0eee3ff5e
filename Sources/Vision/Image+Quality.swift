import CVision

extension Image {
    /// Variance of the Laplacian of the luma (OpenCV's `Laplacian`, 3x3 kernel): high for a sharp face, low
    /// for a blurred one; used by the enrollment quality gate.
    public var laplacianVariance: Double {
        var variance = 0.0
        pixels.withUnsafeBufferPointer { buffer in
            mustSucceed(
                cv_image_laplacian_variance(&variance, buffer.baseAddress, Int32(width), Int32(height)),
                "Laplacian of a \(width)x\(height) image")
        }
        return variance
    }
}
