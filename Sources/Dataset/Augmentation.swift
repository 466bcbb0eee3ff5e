import Support
import Vision

/// Training-time image changes, as davidsandberg's `train_tripletloss` input pipeline with `--random_crop`
/// and `--random_flip` (TensorFlow's `random_crop`, `random_flip_left_right`), plus optional
/// brightness / contrast jitter in the manner of `tf.image.random_brightness` / `random_contrast`.
public struct Augmentation: Codable, Equatable, Sendable {
    /// Crop a random `size` x `size` window from a larger stored image (e.g. 182 -> 160); when false the
    /// centre window is taken. Equal sizes: no crop.
    public var randomCrop: Bool
    /// Mirror left-right with probability 1/2.
    public var randomFlip: Bool
    /// Largest brightness shift, in pixel levels (0...255): each image adds a uniform delta in [-b, b].
    public var brightness: Double
    /// Largest relative contrast change: each image scales its deviations from its per-channel mean by a
    /// uniform factor in [1 - c, 1 + c].
    public var contrast: Double

    public init(randomCrop: Bool = true, randomFlip: Bool = true, brightness: Double = 0, contrast: Double = 0) {
        self.randomCrop = randomCrop
        self.randomFlip = randomFlip
        self.brightness = brightness
        self.contrast = contrast
    }

    /// Centre crop, no flip, no jitter: what evaluation sees.
    public static let none = Augmentation(randomCrop: false, randomFlip: false)
}

/// The random numbers one image uses, all drawn every time (so switching one option on or off does not
/// change the others), from the stream `mix(seed, augmentation, batch index, position in the batch)`.
public struct AugmentationDraw: Equatable, Sendable {
    public var cropX: Double  // [0, 1)
    public var cropY: Double  // [0, 1)
    public var flip: Bool
    public var brightness: Double  // [-1, 1)
    public var contrast: Double  // [-1, 1)

    public init(cropX: Double, cropY: Double, flip: Bool, brightness: Double = 0, contrast: Double = 0) {
        (self.cropX, self.cropY, self.flip, self.brightness, self.contrast) = (cropX, cropY, flip, brightness, contrast)
    }

    public init(seed: UInt64, batch: Int, position: Int) {
        var random = SeededRandom(
            mixing: seed, StreamPurpose.augmentation.rawValue, UInt64(bitPattern: Int64(batch)),
            UInt64(bitPattern: Int64(position)))
        cropX = random.unit()
        cropY = random.unit()
        flip = random.unit() < 0.5
        brightness = 2 * random.unit() - 1
        contrast = 2 * random.unit() - 1
    }
}

public enum Augmenter {
    /// `image` as the network sees it: `size` x `size`, cropped, flipped and jittered as `augmentation` and
    /// `draw` say. An image smaller than `size` in either dimension is first resized (bilinear) to
    /// `size` x `size` (the reference pads instead; aligned datasets are never smaller).
    public static func apply(_ image: Image, size: Int, augmentation: Augmentation, draw: AugmentationDraw) -> Image {
        var face = image
        if face.width < size || face.height < size {
            face = face.resized(width: size, height: size)
        }
        if face.width != size || face.height != size {
            let spareX = face.width - size
            let spareY = face.height - size
            // Random: offsets uniform in 0...spare (tf.random_crop); centre: floor(spare / 2)
            // (tf.image.resize_image_with_crop_or_pad).
            let x0 = augmentation.randomCrop ? min(Int(draw.cropX * Double(spareX + 1)), spareX) : spareX / 2
            let y0 = augmentation.randomCrop ? min(Int(draw.cropY * Double(spareY + 1)), spareY) : spareY / 2
            face = face.cropped(x0: x0, y0: y0, x1: x0 + size, y1: y0 + size)!
        }
        if augmentation.randomFlip && draw.flip {
            face = face.flippedHorizontally()
        }
        if augmentation.brightness > 0 || augmentation.contrast > 0 {
            face = jitter(
                face, delta: augmentation.brightness * draw.brightness, factor: 1 + augmentation.contrast * draw.contrast)
        }
        return face
    }

    /// (v - mean_c) * factor + mean_c + delta per channel c, rounded and clamped to 0...255.
    static func jitter(_ image: Image, delta: Double, factor: Double) -> Image {
        var sums = [0.0, 0.0, 0.0]
        let pixels = image.pixels
        for i in 0..<pixels.count { sums[i % 3] += Double(pixels[i]) }
        let n = Double(image.width * image.height)
        let means = sums.map { $0 / n }
        var out = [UInt8](repeating: 0, count: pixels.count)
        for i in 0..<pixels.count {
            let m = means[i % 3]
            let v = (Double(pixels[i]) - m) * factor + m + delta
            out[i] = UInt8(max(0, min(255, v.rounded())))
        }
        return Image(width: image.width, height: image.height, pixels: out)
    }
}
