import Foundation
import Support
import XCTest

@testable import Dataset

/// The identity-balanced sampler against davidsandberg's `sample_people` rule.
final class SamplerTests: XCTestCase {
    /// `compose` over an explicit walk order, choosing the first k images of each class.
    func compose(_ sizes: [Int], order: [Int], people: Int, images: Int) -> SampledBatch {
        var walk = order.makeIterator()
        return IdentityBalancedSampler.compose(
            index: 0, classSizes: sizes, batchSize: people * images, imagesPerPerson: images,
            nextClass: { walk.next() }, chooseImages: { _, k in Array(0..<k) })
    }

    func testHandComputedCompositions() {
        // Classes of 1, 3, 50 and 50 images, 3 people x 4 images = 12. Each class gives
        // min(size, 4, missing): small classes make the batch hold more than 3 people.
        var b = compose([1, 3, 50, 50], order: [0, 1, 2, 3], people: 3, images: 4)
        XCTAssertEqual(b.classes, [0, 1, 2, 3])
        XCTAssertEqual(b.numPerClass, [1, 3, 4, 4])
        XCTAssertEqual(b.labels, [0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])

        // Large classes first: 3 people suffice and the small ones are never reached.
        b = compose([1, 3, 50, 50, 50], order: [2, 3, 4, 0, 1], people: 3, images: 4)
        XCTAssertEqual(b.classes, [2, 3, 4])
        XCTAssertEqual(b.numPerClass, [4, 4, 4])

        // The last class drawn gives only the images still missing: 4 + 4 + 3 = 11, then 1 of class 4.
        b = compose([1, 3, 50, 50, 50], order: [2, 3, 1, 4, 0], people: 3, images: 4)
        XCTAssertEqual(b.classes, [2, 3, 1, 4])
        XCTAssertEqual(b.numPerClass, [4, 4, 3, 1])
        XCTAssertEqual(b.count, 12)

        // The whole dataset (1 + 3 + 4 usable = 8) is smaller than a batch: the walk ends with the
        // classes and the batch holds 8 (the reference raises IndexError here).
        b = compose([1, 3, 50], order: [2, 0, 1], people: 3, images: 4)
        XCTAssertEqual(b.numPerClass, [4, 1, 3])
        XCTAssertEqual(b.count, 8)
    }

    func testRealBatchesFollowTheRule() throws {
        let sizes = [1, 3, 50, 2, 1, 7, 40, 4, 1, 12, 5, 9]
        var sampler = try IdentityBalancedSampler(classSizes: sizes, peoplePerBatch: 3, imagesPerPerson: 4, seed: 11)
        var sawMoreThanThreePeople = false
        var sawSingle = false
        var firstClasses = Set<Int>()
        for _ in 0..<200 {
            let batch = sampler.next()
            XCTAssertEqual(batch.count, 12)
            XCTAssertEqual(Set(batch.classes).count, batch.classes.count, "a class drawn twice")
            // Recompute the rule from the walk order.
            var missing = 12
            for (label, taken) in zip(batch.classes, batch.numPerClass) {
                XCTAssertEqual(taken, min(sizes[label], 4, missing))
                missing -= taken
            }
            XCTAssertEqual(missing, 0)
            // Images: contiguous per class, distinct, in range.
            var position = 0
            for (label, taken) in zip(batch.classes, batch.numPerClass) {
                let images = batch.imageIndices[position..<(position + taken)]
                XCTAssertTrue(batch.labels[position..<(position + taken)].allSatisfy { $0 == label })
                XCTAssertEqual(Set(images).count, taken)
                XCTAssertTrue(images.allSatisfy { (0..<sizes[label]).contains($0) })
                position += taken
            }
            sawMoreThanThreePeople = sawMoreThanThreePeople || batch.classes.count > 3
            sawSingle = sawSingle || batch.classes.contains { sizes[$0] == 1 }
            firstClasses.insert(batch.classes[0])
        }
        XCTAssertTrue(sawMoreThanThreePeople)
        XCTAssertTrue(sawSingle, "single-image identities are sampled like the others")
        XCTAssertEqual(firstClasses.count, sizes.count, "every class leads some batch: the walk is shuffled")
    }

    func testFaceNetDefaults() throws {
        let sizes = (0..<500).map { 1 + ($0 * 37) % 90 }
        let sampler = try IdentityBalancedSampler(classSizes: sizes, seed: 0)
        XCTAssertEqual(sampler.batchSize, 1800)
        let batch = sampler.batch(at: 0)
        XCTAssertEqual(batch.count, 1800)
        XCTAssertGreaterThanOrEqual(batch.classes.count, 45)
    }

    func testDeterminismAndResume() throws {
        let sizes = [5, 1, 9, 30, 2, 2, 17, 8]
        var a = try IdentityBalancedSampler(classSizes: sizes, peoplePerBatch: 3, imagesPerPerson: 4, seed: 42)
        var b = try IdentityBalancedSampler(classSizes: sizes, peoplePerBatch: 3, imagesPerPerson: 4, seed: 42)
        var c = try IdentityBalancedSampler(classSizes: sizes, peoplePerBatch: 3, imagesPerPerson: 4, seed: 43)
        let first = (0..<10).map { _ in a.next() }
        XCTAssertEqual(first, (0..<10).map { _ in b.next() })
        XCTAssertNotEqual(first, (0..<10).map { _ in c.next() })
        XCTAssertNotEqual(first[0], first[1])

        // Checkpoint after 10 batches: encode, decode, resume; the next batches equal an uninterrupted run.
        let saved = try JSONEncoder().encode(a.state)
        let state = try JSONDecoder().decode(SamplerState.self, from: saved)
        XCTAssertEqual(state.nextBatch, 10)
        var resumed = try IdentityBalancedSampler(classSizes: sizes, resuming: state)
        let continued = (0..<5).map { _ in a.next() }
        XCTAssertEqual((0..<5).map { _ in resumed.next() }, continued)
        XCTAssertEqual(continued.map(\.index), [10, 11, 12, 13, 14])

        // The state of another dataset is refused.
        XCTAssertThrowsError(try IdentityBalancedSampler(classSizes: sizes + [3], resuming: state)) { error in
            XCTAssertTrue("\(error)".contains("another dataset"), "\(error)")
        }
    }

    func testKnownSequence() throws {
        // A recorded answer, so that any change of the generator or of the draw order is noticed
        // (it would silently change what a resumed checkpoint trains on).
        let sampler = try IdentityBalancedSampler(classSizes: [3, 3, 3, 3], peoplePerBatch: 2, imagesPerPerson: 2, seed: 5)
        let batch = sampler.batch(at: 3)
        XCTAssertEqual(batch.numPerClass, [2, 2])
        XCTAssertEqual("\(batch.classes) \(batch.imageIndices)", Self.knownSequence)
    }

    static let knownSequence = "[1, 3] [0, 2, 2, 1]"

    func testBadParameters() {
        XCTAssertThrowsError(try IdentityBalancedSampler(classSizes: [2, 2], peoplePerBatch: 0, seed: 0))
        XCTAssertThrowsError(try IdentityBalancedSampler(classSizes: [2, 2], imagesPerPerson: 0, seed: 0))
        XCTAssertThrowsError(try IdentityBalancedSampler(classSizes: [], seed: 0))
    }

    func testGeneratorBasics() {
        var random = SeededRandom(seed: 1)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<50_000 { counts[random.below(5)] += 1 }
        XCTAssertTrue(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
        XCTAssertEqual(SeededRandom(seed: 0).state, 0)
    }
}
