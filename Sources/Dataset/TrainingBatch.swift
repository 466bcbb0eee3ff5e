import Foundation
import Models
import Support
import TorchBridge
import Vision

/// An image the loader could not use, and why.
public struct ImageFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}

/// An outer batch ready for the network.
public struct TrainingBatch: @unchecked Sendable {
    /// [B, 3, S, S] float32, preprocessed with the model's `Preprocessing`, channels-last memory
    /// (NHWC strides, as the decoded pixels are laid out).
    public let images: Tensor
    /// Identity label per image (the dataset's label), contiguous per identity.
    public let labels: [Int]
    /// Absolute path per image.
    public let paths: [String]
    /// The identities in batch order and how many images of each the tensor holds (after failures).
    public let classes: [Int]
    public let numPerClass: [Int]
    /// Images that failed to decode; they are left out of the batch (B = sampled count - failures).
    public let failures: [ImageFailure]
    /// The sampler's index of this batch.
    public let index: Int
    /// The sampler state to store in a checkpoint taken after training on this batch.
    public let samplerStateAfter: SamplerState

    public var count: Int { labels.count }
}

/// Decodes, augments and preprocesses one sampled batch (synchronously; `BatchLoader` runs it ahead).
public struct BatchMaker: Sendable {
    public let dataset: FaceDataset
    public let inputSize: Int
    public let preprocessing: Preprocessing
    public let augmentation: Augmentation
    /// Seed of the augmentation streams (image k of batch b uses `mix(seed, b, k)`).
    public let seed: UInt64
    /// Threads decoding one batch (images are split in contiguous chunks; 1 = the calling thread only).
    public let threads: Int

    public init(
        dataset: FaceDataset, inputSize: Int, preprocessing: Preprocessing, augmentation: Augmentation,
        seed: UInt64, threads: Int = 2
    ) {
        precondition(inputSize > 0, "input size \(inputSize) is not positive")
        self.dataset = dataset
        self.inputSize = inputSize
        self.preprocessing = preprocessing
        self.augmentation = augmentation
        self.seed = seed
        self.threads = max(1, threads)
    }

    public init(dataset: FaceDataset, model: ModelDescription, augmentation: Augmentation, seed: UInt64, threads: Int = 2) {
        self.init(
            dataset: dataset, inputSize: model.inputSize, preprocessing: model.preprocessing,
            augmentation: augmentation, seed: seed, threads: threads)
    }

    /// The augmented face for image `position` of `batch` (nil and the reason when it cannot be decoded).
    public func face(path: String, batch: Int, position: Int) -> Result<Image, ImageFailure> {
        do {
            let image = try Image.load(path: path)
            let draw = AugmentationDraw(seed: seed, batch: batch, position: position)
            return .success(Augmenter.apply(image, size: inputSize, augmentation: augmentation, draw: draw))
        } catch {
            return .failure(ImageFailure(path: path, reason: "\(error)"))
        }
    }

    /// The batch's tensor and bookkeeping. Images that fail to decode are skipped (and listed in
    /// `failures`); the others keep their positions' random numbers, so a failure changes nothing else.
    /// - Throws: `UserError` when every image of the batch fails (nothing to train on: the data is gone).
    public func make(_ sampled: SampledBatch, samplerStateAfter: SamplerState) throws -> TrainingBatch {
        let n = sampled.count
        let paths = (0..<n).map { dataset.path(label: sampled.labels[$0], image: sampled.imageIndices[$0]) }
        let results = ResultSlots(count: n)
        let chunks = min(threads, max(n, 1))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let lower = n * chunk / chunks
            let upper = n * (chunk + 1) / chunks
            for i in lower..<upper { results.set(i, face(path: paths[i], batch: sampled.index, position: i)) }
        }

        let side = inputSize
        var bytes = [UInt8]()
        bytes.reserveCapacity(n * side * side * 3)
        var labels: [Int] = []
        var keptPaths: [String] = []
        var failures: [ImageFailure] = []
        var failedPerClass = [Int: Int]()
        for i in 0..<n {
            switch results.get(i) {
            case .success(let face):
                bytes += face.pixels
                labels.append(sampled.labels[i])
                keptPaths.append(paths[i])
            case .failure(let failure):
                failures.append(failure)
                failedPerClass[sampled.labels[i], default: 0] += 1
            }
        }
        guard !labels.isEmpty else {
            let first = failures.first.map { ": \($0)" } ?? ""
            throw UserError("all \(n) images of batch \(sampled.index) from \(dataset.root) failed to decode\(first)")
        }
        var classes: [Int] = []
        var numPerClass: [Int] = []
        for (label, count) in zip(sampled.classes, sampled.numPerClass) {
            let kept = count - (failedPerClass[label] ?? 0)
            if kept > 0 {
                classes.append(label)
                numPerClass.append(kept)
            }
        }
        let nhwc = try bytes.withUnsafeBytes {
            try Tensor(bytes: $0, shape: [labels.count, side, side, 3], dtype: .uint8)
        }
        // [B, H, W, 3] -> [B, 3, H, W] as a view: NCHW shape, channels-last strides.
        let nchw = try nhwc.to(.float32).permuted([0, 3, 1, 2])
        let images = try preprocessing.apply(nchw)
        return TrainingBatch(
            images: images, labels: labels, paths: keptPaths, classes: classes, numPerClass: numPerClass,
            failures: failures, index: sampled.index, samplerStateAfter: samplerStateAfter)
    }
}

/// Slots written by index from several threads (each slot by exactly one).
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<Image, ImageFailure>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<Image, ImageFailure>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func get(_ i: Int) -> Result<Image, ImageFailure> {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]!
    }
}

/// Runs the sampler and `BatchMaker` on a background thread, `depth` batches ahead of the trainer.
/// The batches, their tensors and their order are those of calling `make` in sequence, whatever the
/// thread timing. Memory: each batch held is B x S x S x 3 x 4 bytes (1,800 at 160: 553 MB), so
/// `depth` 1 is the default for FaceNet-sized outer batches.
public final class BatchLoader: @unchecked Sendable {
    private let prefetcher: Prefetcher<Result<TrainingBatch, Error>>
    public private(set) var sampler: IdentityBalancedSampler
    /// Failures reported so far (all batches handed out).
    public private(set) var failureCount = 0

    /// Loads `batches` batches starting at the sampler's next batch; `nextBatch()` returns nil after them.
    public init(sampler: IdentityBalancedSampler, maker: BatchMaker, batches: Int, depth: Int = 1) {
        precondition(sampler.classSizes == maker.dataset.classSizes, "sampler and dataset disagree")
        self.sampler = sampler
        let base = sampler
        let start = sampler.nextBatch
        // One libtorch thread for the conversion and prewhitening here: the trainer's thread owns the cores.
        prefetcher = Prefetcher(count: max(0, batches), depth: depth, setUp: { Torch.setThreadsOfThisThread(1) }) { i in
            let index = start + i
            var after = base
            after.seek(to: index + 1)
            let sampled = base.batch(at: index)
            return Result { try maker.make(sampled, samplerStateAfter: after.state) }
        }
    }

    /// The next batch (waiting for it), nil after the last. Rethrows `BatchMaker.make`'s error.
    public func nextBatch() throws -> TrainingBatch? {
        guard let result = prefetcher.nextItem() else { return nil }
        let batch = try result.get()
        sampler.seek(to: batch.index + 1)
        failureCount += batch.failures.count
        return batch
    }

    /// Stops loading ahead.
    public func cancel() { prefetcher.cancel() }

    deinit { prefetcher.cancel() }
}
