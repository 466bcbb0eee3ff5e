import Alignment
import Foundation
import Recognition
import TorchBridge
import Vision

/// A face of an uploaded photo: the detection, its crop measures and (when asked for) its embedding.
struct BatchedFace: @unchecked Sendable {
    let found: FoundFace
    let embedding: [Float]?
}

/// Dynamic batching: photos of concurrent requests wait in one queue; a single worker thread takes up to
/// `maxBatch` of them (waiting at most `maxWait` after the first for others, and only while another photo is
/// being prepared: with none on its way, the wait could only add latency), finds their faces in
/// one detector pass (`FacePipeline.faces(in:)`: P-Net shares pyramid passes, R-Net and O-Net run once for all)
/// and embeds every face of the batch in one forward pass. The model is used by this thread only.
final class FaceBatcher: @unchecked Sendable {
    struct Batch {
        let photos: Int
        let faces: Int
    }

    private final class Job: @unchecked Sendable {
        let image: Image
        let prepared: PreparedImage
        let embed: Bool
        let continuation: CheckedContinuation<[BatchedFace], any Error>

        init(image: Image, prepared: PreparedImage, embed: Bool, continuation: CheckedContinuation<[BatchedFace], any Error>) {
            (self.image, self.prepared, self.embed, self.continuation) = (image, prepared, embed, continuation)
        }
    }

    let pipeline: FacePipeline
    let maxBatch: Int
    let maxWait: Double
    /// A batch is also closed when its photos hold this many pixels (as PhotoFacesJob bounds its batches).
    let batchPixels = 8_000_000
    /// Called after each batch (metrics).
    let observe: @Sendable (Batch) -> Void

    private let condition = NSCondition()
    private var queue: [(id: UInt64, job: Job)] = []
    private var nextId: UInt64 = 0
    /// Photos between their request's arrival here and the queue (building their pyramids).
    private var preparing = 0
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(pipeline: FacePipeline, maxBatch: Int, maxWait: Double, observe: @escaping @Sendable (Batch) -> Void) {
        self.pipeline = pipeline
        self.maxBatch = maxBatch
        self.maxWait = maxWait
        self.observe = observe
        // Every face of a full batch in one forward pass (a photo rarely holds more than a few faces).
        pipeline.batchSize = max(pipeline.batchSize, 8 * maxBatch)
        let threads = Torch.threads  // as configured on the main thread (--threads); a new thread starts at the default
        let thread = Thread { [unowned self] in
            Torch.setThreadsOfThisThread(threads)
            self.loop()
        }
        thread.name = "facenet-serve-model"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// Prepares `image` for the detector (its pyramid) off the model's thread, then waits for its batch. A
    /// request cancelled (timeout, shutdown) while its photo is still queued leaves the queue at once.
    func faces(of image: Image, embed: Bool) async throws -> [BatchedFace] {
        let detector = pipeline.detector
        changePreparing(by: 1)
        let prepared: PreparedImage
        do {
            prepared = try await blocking { try detector.prepare(image) }
        } catch {
            changePreparing(by: -1)
            throw error
        }
        let box = IdBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                defer { condition.unlock() }
                preparing -= 1
                guard !stopping else {
                    continuation.resume(throwing: APIError(.serviceUnavailable, .shuttingDown, "the service is shutting down"))
                    return
                }
                nextId += 1
                box.id = nextId
                queue.append((nextId, Job(image: image, prepared: prepared, embed: embed, continuation: continuation)))
                condition.signal()
            }
        } onCancel: {
            condition.lock()
            let index = queue.firstIndex { $0.id == box.id }
            let job = index.map { queue.remove(at: $0).job }
            condition.unlock()
            job?.continuation.resume(throwing: CancellationError())
        }
    }

    private func changePreparing(by change: Int) {
        condition.lock()
        preparing += change
        condition.signal()  // a batch waiting for this photo stops waiting when it will not come
        condition.unlock()
    }

    /// Finishes the photos already queued, refuses new ones, and returns when the worker has stopped.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    private func loop() {
        while let batch = nextBatch() { run(batch) }
        finished.signal()
    }

    /// The next batch: the first queued photo, and those arriving within `maxWait` of it, up to `maxBatch`;
    /// the wait ends early when no other photo is being prepared.
    private func nextBatch() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopping { condition.wait() }
        if queue.isEmpty { return nil }
        let deadline = Date(timeIntervalSinceNow: maxWait)
        while queue.count < maxBatch && preparing > 0 && !stopping && condition.wait(until: deadline) {}
        var batch: [Job] = []
        var pixels = 0
        while let first = queue.first, batch.count < maxBatch, batch.isEmpty || pixels + first.job.prepared.width * first.job.prepared.height <= batchPixels {
            batch.append(queue.removeFirst().job)
            pixels += first.job.prepared.width * first.job.prepared.height
        }
        return batch
    }

    private func run(_ jobs: [Job]) {
        // One detector pass for all; if it fails, each photo alone, so that one photo's failure is its own.
        var found: [Result<[FoundFace], any Error>]
        do {
            found = try pipeline.faces(in: jobs.map { ($0.image, $0.prepared) }).map { .success($0) }
        } catch {
            found = jobs.map { job in Result { try pipeline.faces(in: [(job.image, job.prepared)])[0] } }
        }
        let crops = zip(jobs, found).flatMap { job, result in job.embed ? ((try? result.get()) ?? []).map(\.crop) : [] }
        let embeddings: Result<[[Float]], any Error> = Result { try pipeline.embed(crops) }
        observe(Batch(photos: jobs.count, faces: crops.count))
        var row = 0
        for (job, result) in zip(jobs, found) {
            switch (result, embeddings) {
            case (.failure(let error), _):
                job.continuation.resume(throwing: error)
            case (.success(let faces), _) where !job.embed:
                job.continuation.resume(returning: faces.map { BatchedFace(found: $0, embedding: nil) })
            case (.success, .failure(let error)):
                job.continuation.resume(throwing: error)
            case (.success(let faces), .success(let rows)):
                job.continuation.resume(returning: faces.enumerated().map { BatchedFace(found: $1, embedding: rows[row + $0]) })
                row += faces.count
            }
        }
    }

    private final class IdBox: @unchecked Sendable {
        var id: UInt64 = 0
    }
}
