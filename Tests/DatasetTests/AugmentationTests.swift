import Foundation
import Models
import TestSupport
import TorchBridge
import Vision
import XCTest

@testable import Dataset

/// Crop, flip, jitter, and the decoded batches: correctness on known pixels and determinism.
final class AugmentationTests: XCTestCase {
    /// Pixel (x, y) = (10x, 10y, 7).
    let source = Fixtures.gradient(width: 6, height: 5, seed: 0)

    func testRandomAndCentreCropOnKnownPixels() {
        // 6x5 -> 4x4: spare 2 horizontally (offsets 0...2), 1 vertically (0...1).
        let far = Augmenter.apply(
            source, size: 4, augmentation: Augmentation(randomFlip: false),
            draw: AugmentationDraw(cropX: 0.99, cropY: 0.99, flip: true))
        XCTAssertEqual([far.width, far.height], [4, 4])
        XCTAssertEqual(far[0, 0], source[2, 1])
        XCTAssertEqual(far[3, 3], source[5, 4])
        let near = Augmenter.apply(
            source, size: 4, augmentation: Augmentation(randomFlip: false),
            draw: AugmentationDraw(cropX: 0, cropY: 0.4, flip: false))
        XCTAssertEqual(near[0, 0], source[0, 0])
        let middle = Augmenter.apply(
            source, size: 4, augmentation: Augmentation(randomFlip: false),
            draw: AugmentationDraw(cropX: 0.5, cropY: 0.6, flip: false))
        XCTAssertEqual(middle[0, 0], source[1, 1])  // floor(0.5 * 3) = 1, floor(0.6 * 2) = 1

        // Centre crop ignores the draw: offsets floor(2 / 2) = 1 and floor(1 / 2) = 0.
        let centre = Augmenter.apply(
            source, size: 4, augmentation: .none, draw: AugmentationDraw(cropX: 0.99, cropY: 0.99, flip: true))
        XCTAssertEqual(centre[0, 0], source[1, 0])
        XCTAssertEqual(centre[3, 3], source[4, 3])
        // Odd spare: 6x5 -> 3x3 has spare 3 and 2, offsets floor(3 / 2) = 1 and 1.
        let centre3 = Augmenter.apply(source, size: 3, augmentation: .none, draw: AugmentationDraw(cropX: 0, cropY: 0, flip: false))
        XCTAssertEqual(centre3[0, 0], source[1, 1])

        // Same size: untouched.
        let square = Fixtures.gradient(width: 4, height: 4)
        XCTAssertEqual(
            Augmenter.apply(square, size: 4, augmentation: Augmentation(randomFlip: false),
                            draw: AugmentationDraw(cropX: 0.9, cropY: 0.9, flip: true)), square)
    }

    func testFlipMirrorsTheCrop() {
        let flipped = Augmenter.apply(
            source, size: 4, augmentation: Augmentation(), draw: AugmentationDraw(cropX: 0, cropY: 0, flip: true))
        for y in 0..<4 {
            for x in 0..<4 { XCTAssertEqual(flipped[x, y], source[3 - x, y]) }
        }
        let notFlipped = Augmenter.apply(
            source, size: 4, augmentation: Augmentation(), draw: AugmentationDraw(cropX: 0, cropY: 0, flip: false))
        XCTAssertEqual(notFlipped[0, 0], source[0, 0])
    }

    func testBrightnessAndContrast() {
        let square = Fixtures.gradient(width: 4, height: 4)  // red 0,10,20,30 per column: mean 15
        let brighter = Augmenter.apply(
            square, size: 4, augmentation: Augmentation(randomFlip: false, brightness: 20),
            draw: AugmentationDraw(cropX: 0, cropY: 0, flip: false, brightness: 0.5))
        XCTAssertEqual(brighter[1, 2], RGB(20, 30, 210))  // +10 on every channel
        let contrast = Augmenter.apply(
            square, size: 4, augmentation: Augmentation(randomFlip: false, contrast: 0.5),
            draw: AugmentationDraw(cropX: 0, cropY: 0, flip: false, contrast: 1))
        // factor 1.5 about the channel means (red 15, green 15, blue 200): 0 -> -7.5 -> 0, 30 -> 37.5 -> 38.
        XCTAssertEqual(contrast[0, 0], RGB(0, 0, 200))
        XCTAssertEqual(contrast[3, 3], RGB(38, 38, 200))
        XCTAssertEqual(contrast[1, 1], RGB(8, 8, 200))  // 10 -> 7.5 -> 8 (rounded half away from zero)
    }

    func testDrawsDependOnSeedBatchAndPosition() {
        let a = AugmentationDraw(seed: 1, batch: 2, position: 3)
        XCTAssertEqual(a, AugmentationDraw(seed: 1, batch: 2, position: 3))
        XCTAssertNotEqual(a, AugmentationDraw(seed: 2, batch: 2, position: 3))
        XCTAssertNotEqual(a, AugmentationDraw(seed: 1, batch: 3, position: 3))
        XCTAssertNotEqual(a, AugmentationDraw(seed: 1, batch: 2, position: 4))
        var flips = 0
        for p in 0..<2000 where AugmentationDraw(seed: 9, batch: 0, position: p).flip { flips += 1 }
        XCTAssertEqual(Double(flips) / 2000, 0.5, accuracy: 0.05)
    }

    // MARK: batches

    func makeDataset(_ folder: TemporaryFolder) throws -> FaceDataset {
        let root = try Fixtures.writeDataset(folder.file("root"), [("a", 4), ("b", 3), ("c", 1), ("d", 6)], side: 12)
        return try FaceDataset.load(root: root, cache: .none)
    }

    func testBatchTensorLayoutAndValues() throws {
        let folder = try TemporaryFolder("dataset")
        let dataset = try makeDataset(folder)
        let sampler = try IdentityBalancedSampler(dataset: dataset, peoplePerBatch: 2, imagesPerPerson: 3, seed: 1)
        let maker = BatchMaker(
            dataset: dataset, inputSize: 8, preprocessing: .fixed, augmentation: Augmentation(), seed: 5)
        let sampled = sampler.batch(at: 0)
        let batch = try maker.make(sampled, samplerStateAfter: sampler.state)
        XCTAssertEqual(batch.images.shape, [6, 3, 8, 8])
        XCTAssertEqual(try batch.images.dtype, .float32)
        XCTAssertTrue(batch.images.isContiguous(channelsLast: true))
        XCTAssertEqual(batch.labels, sampled.labels)
        XCTAssertEqual(batch.numPerClass, sampled.numPerClass)
        XCTAssertTrue(batch.failures.isEmpty)
        // Each image equals its own augmentation of the file, preprocessed with (v - 127.5) / 128.
        let values = try batch.images.floats()  // logical NCHW order
        for i in 0..<6 {
            let face = Augmenter.apply(
                try Image.load(path: batch.paths[i]), size: 8, augmentation: Augmentation(),
                draw: AugmentationDraw(seed: 5, batch: 0, position: i))
            for (c, x, y) in [(0, 0, 0), (1, 7, 3), (2, 5, 7), (0, 6, 2)] {
                let pixel = face[x, y]
                let expected = (Float([pixel.r, pixel.g, pixel.b][c]) - 127.5) / 128
                XCTAssertEqual(values[((i * 3 + c) * 8 + y) * 8 + x], expected, accuracy: 1e-6)
            }
        }
    }

    func testBatchesAreDeterministicForASeedWhateverTheThreads() throws {
        let folder = try TemporaryFolder("dataset")
        let dataset = try makeDataset(folder)
        let sampler = try IdentityBalancedSampler(dataset: dataset, peoplePerBatch: 3, imagesPerPerson: 3, seed: 2)
        func values(seed: UInt64, threads: Int, batch: Int = 4) throws -> [Float] {
            let maker = BatchMaker(
                dataset: dataset, inputSize: 8, preprocessing: .prewhiten, augmentation: Augmentation(brightness: 10),
                seed: seed, threads: threads)
            return try maker.make(sampler.batch(at: batch), samplerStateAfter: sampler.state).images.floats()
        }
        let one = try values(seed: 3, threads: 1)
        XCTAssertEqual(one, try values(seed: 3, threads: 2))
        XCTAssertEqual(one, try values(seed: 3, threads: 4))
        XCTAssertNotEqual(one, try values(seed: 4, threads: 2))
        XCTAssertNotEqual(one, try values(seed: 3, threads: 2, batch: 5))
    }

    func testLoaderRunsAheadAndMatchesTheSynchronousBatches() throws {
        let folder = try TemporaryFolder("dataset")
        let dataset = try makeDataset(folder)
        var sampler = try IdentityBalancedSampler(dataset: dataset, peoplePerBatch: 2, imagesPerPerson: 2, seed: 8)
        sampler.seek(to: 3)  // resumed mid-run
        let maker = BatchMaker(dataset: dataset, inputSize: 8, preprocessing: .fixed, augmentation: Augmentation(), seed: 8)
        let loader = BatchLoader(sampler: sampler, maker: maker, batches: 4, depth: 2)
        var seen: [Int] = []
        while let batch = try loader.nextBatch() {
            let expected = try maker.make(sampler.batch(at: batch.index), samplerStateAfter: sampler.state)
            XCTAssertEqual(try batch.images.floats(), try expected.images.floats())
            XCTAssertEqual(batch.paths, expected.paths)
            XCTAssertEqual(batch.samplerStateAfter.nextBatch, batch.index + 1)
            XCTAssertEqual(loader.sampler.nextBatch, batch.index + 1)
            seen.append(batch.index)
        }
        XCTAssertEqual(seen, [3, 4, 5, 6])
    }

    func testUndecodableImagesAreSkippedAndReported() throws {
        let folder = try TemporaryFolder("dataset")
        let root = try Fixtures.writeDataset(folder.file("root"), [("a", 3), ("b", 3)], side: 10)
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: root + "/a/img_1.png"))
        let dataset = try FaceDataset.load(root: root, cache: .none)
        let sampler = try IdentityBalancedSampler(dataset: dataset, peoplePerBatch: 2, imagesPerPerson: 3, seed: 0)
        let maker = BatchMaker(dataset: dataset, inputSize: 8, preprocessing: .fixed, augmentation: Augmentation(), seed: 0)
        let sampled = sampler.batch(at: 0)
        let batch = try maker.make(sampled, samplerStateAfter: sampler.state)
        XCTAssertEqual(batch.count, 5)
        XCTAssertEqual(batch.images.shape, [5, 3, 8, 8])
        XCTAssertEqual(batch.failures.map(\.path), [root + "/a/img_1.png"])
        XCTAssertTrue(batch.failures[0].reason.contains("not an image"), batch.failures[0].reason)
        XCTAssertFalse(batch.paths.contains(root + "/a/img_1.png"))
        let aSlot = batch.classes.firstIndex(of: 0)!
        XCTAssertEqual(batch.numPerClass[aSlot], 2)
        XCTAssertEqual(batch.numPerClass.reduce(0, +), 5)

        // The surviving images keep their own random numbers: equal to the same images in a clean run.
        try Fixtures.gradient(width: 10, height: 10).writePNG(to: root + "/a/img_1.png")
        let clean = try maker.make(sampled, samplerStateAfter: sampler.state)
        let kept = clean.paths.enumerated().filter { $0.element != root + "/a/img_1.png" }.map(\.offset)
        let cleanValues = try clean.images.indexSelect(dim: 0, kept).floats()
        XCTAssertEqual(try batch.images.floats(), cleanValues)

        // Every image failing is an error naming the folder.
        for name in ["a/img_0.png", "a/img_1.png", "a/img_2.png", "b/img_0.png", "b/img_1.png", "b/img_2.png"] {
            try Data().write(to: URL(fileURLWithPath: root + "/" + name))
        }
        XCTAssertThrowsError(try maker.make(sampled, samplerStateAfter: sampler.state)) { error in
            XCTAssertTrue("\(error)".contains("all 6 images of batch 0 from \(root)"), "\(error)")
        }
    }

    /// Real JPEGs: one outer batch of LFW (raw 250x250 photos, so the crop is 250 -> 160) through the
    /// loader with FaceNet's preprocessing; prints the decode + augment + preprocess rate.
    func testLFWBatchThroughTheLoader() throws {
        let root = Fixtures.lfwRoot
        try XCTSkipUnless(FileManager.default.fileExists(atPath: root), "LFW is not at \(root)")
        let folder = try TemporaryFolder("dataset")
        let lfw = try FaceDataset.load(root: root, cache: .file(folder.file("lfw.json")))
        let sampler = try IdentityBalancedSampler(dataset: lfw, peoplePerBatch: 15, imagesPerPerson: 12, seed: 1)
        let maker = BatchMaker(dataset: lfw, model: .facenet128, augmentation: Augmentation(), seed: 1, threads: 2)
        let loader = BatchLoader(sampler: sampler, maker: maker, batches: 2, depth: 1)
        let start = Date()
        var images = 0
        while let batch = try loader.nextBatch() {
            XCTAssertEqual(batch.images.shape, [180, 3, 160, 160])
            XCTAssertTrue(batch.failures.isEmpty)
            XCTAssertGreaterThan(batch.classes.count, 15)  // LFW is mostly single-image people
            // prewhiten: each image has mean 0 and standard deviation 1.
            let first = try batch.images.selected(dim: 0, 0)
            XCTAssertEqual(try first.mean().item(), 0, accuracy: 1e-4)
            images += batch.count
        }
        let rate = Double(images) / Date().timeIntervalSince(start)
        print(String(format: "LFW loader: %d images (250 -> 160, prewhiten) at %.0f img/s, 2 decode threads", images, rate))
    }
}
