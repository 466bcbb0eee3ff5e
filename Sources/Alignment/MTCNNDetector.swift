import Foundation
import TorchBridge
import Vision

/// MTCNN face detection as facenet-pytorch 2.6.0's `detect_face` does it (docs/alignment.md): P-Net over
/// an image pyramid, per-scale NMS 0.5 and cross-scale NMS 0.7, regression, squaring; R-Net on 24x24 area
/// resampled crops, threshold, NMS 0.7, regression, squaring; O-Net on 48x48 crops, threshold, landmarks,
/// regression, NMS 0.7 over the smaller area. Several images go through together: P-Net runs once per
/// pyramid level for all images of the same size, R-Net and O-Net once per stage for all candidates of
/// all images. An image above `options.maxDetectionSide` goes through on a shrunk copy and its faces
/// are mapped back to source pixels (`DetectionCopy`).
public final class MTCNNDetector: @unchecked Sendable {
    public let networks: MTCNNNetworks
    public let options: DetectorOptions
    /// Crops per R-Net / O-Net forward pass (bounds memory on huge images).
    public var stageBatch = 1024
    /// Seconds spent in each stage so far (P-Net with candidate generation, R-Net with its crops, O-Net
    /// with its crops), for `--verbose` and benchmarks. Updated by `detect`.
    public private(set) var stageSeconds: [Double] = [0, 0, 0]

    public init(networks: MTCNNNetworks, options: DetectorOptions = DetectorOptions()) throws {
        try options.validate()
        self.networks = networks
        self.options = options
    }

    /// The faces in one image, highest O-Net score first.
    public func detect(_ image: Image) throws -> [DetectedFace] {
        try detect([PreparedImage(image, options: options)])[0]
    }

    public func prepare(_ image: Image) throws -> PreparedImage { try PreparedImage(image, options: options) }

    /// The faces of each image, in input order, in source pixels; each list highest O-Net score first.
    public func detect(_ images: [PreparedImage]) throws -> [[DetectedFace]] {
        try withNoGrad {
            var clock = Date()
            func lap(_ stage: Int) {
                let now = Date()
                stageSeconds[stage] += now.timeIntervalSince(clock)
                clock = now
            }
            let proposals = try proposeWindows(images)
            lap(0)
            let refined = try refine(images, proposals)
            lap(1)
            let faces = try output(images, refined)
            lap(2)
            return zip(images, faces).map { image, found in found.map(image.copy.toSource) }
        }
    }

    // MARK: stage 1

    /// P-Net candidates per image: boxes after cross-scale NMS, regression and squaring.
    func proposeWindows(_ images: [PreparedImage]) throws -> [[FaceBox]] {
        var windows = [[Candidates.Window]](repeating: [], count: images.count)
        // Images of one size share each pyramid level's forward pass.
        var groups: [String: [Int]] = [:]
        var groupOrder: [String] = []
        for (i, image) in images.enumerated() where image.isSearchable {
            let key = "\(image.width)x\(image.height)"
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append(i)
        }
        for key in groupOrder {
            let members = groups[key]!
            let levelCount = images[members[0]].levels.count
            for level in 0..<levelCount {
                let scale = images[members[0]].levels[level].scale
                let input = try members.count == 1
                    ? images[members[0]].levels[level].input
                    : Tensor.cat(members.map { images[$0].levels[level].input }, dim: 0)
                let (regression, probability) = try networks.pnet(input)
                let shape = probability.shape  // [B, 2, h, w]
                let (h, w) = (shape[2], shape[3])
                let faceProbability = try probability.selected(dim: 1, 1).contiguous().floats()  // [B, h, w]
                let offsets = try regression.contiguous().floats()  // [B, 4, h, w]
                let plane = h * w
                for (b, i) in members.enumerated() {
                    let found = faceProbability.withUnsafeBufferPointer { p in
                        offsets.withUnsafeBufferPointer { r in
                            Candidates.generate(
                                probability: UnsafeBufferPointer(rebasing: p[(b * plane)..<((b + 1) * plane)]),
                                regression: UnsafeBufferPointer(rebasing: r[(b * 4 * plane)..<((b + 1) * 4 * plane)]),
                                width: w, height: h, scale: scale, threshold: options.thresholds[0])
                        }
                    }
                    let keep = NMS.torchvision(found.map(\.box), scores: found.map(\.score), threshold: 0.5)
                    windows[i] += keep.map { found[$0] }
                }
            }
        }
        return windows.map { found in
            let keep = NMS.torchvision(found.map(\.box), scores: found.map(\.score), threshold: 0.7)
            return keep.map { Candidates.rerec(Candidates.refinePNet(found[$0])) }
        }
    }

    // MARK: crops

    /// Area-resampled `size` x `size` crops of the candidates, scaled `(x - 127.5) / 128` (`AreaResample`,
    /// the same numbers as `imresample` then the scaling), as one [N, 3, size, size] batch (channels-last
    /// memory), with the (image, candidate) each row belongs to. Candidates whose crop is empty are left out.
    func crops(_ images: [PreparedImage], _ boxes: [[FaceBox]], size: Int) throws
        -> (batch: Tensor?, owners: [(image: Int, candidate: Int)])
    {
        var regions: [(image: Int, candidate: Int, x: Range<Int>, y: Range<Int>)] = []
        for (i, image) in images.enumerated() {
            for (k, box) in boxes[i].enumerated() {
                guard let region = Candidates.cropRegion(box, imageWidth: image.width, imageHeight: image.height)
                else { continue }
                regions.append((i, k, region.x, region.y))
            }
        }
        guard !regions.isEmpty else { return (nil, []) }
        let plane = size * size * 3
        let rows = regions.count
        var values = [Float](repeating: 0, count: rows * plane)
        values.withUnsafeMutableBufferPointer { buffer in
            for (n, r) in regions.enumerated() {
                AreaResample.crop(images[r.image].image, x: r.x, y: r.y, size: size, into: buffer.baseAddress! + n * plane)
            }
        }
        let nhwc = try values.withUnsafeBytes {
            try Tensor(bytes: $0, shape: [rows, size, size, 3], dtype: .float32)
        }
        return (try nhwc.permuted([0, 3, 1, 2]), regions.map { ($0.image, $0.candidate) })
    }

    /// Runs `body` over `batch` in chunks of `stageBatch` rows and concatenates each output's rows.
    func chunked(_ batch: Tensor, outputs: Int, _ body: (Tensor) throws -> [Tensor]) throws -> [[Float]] {
        let n = batch.shape[0]
        var results = [[Float]](repeating: [], count: outputs)
        var start = 0
        while start < n {
            let end = min(n, start + stageBatch)
            let part = start == 0 && end == n ? batch : try batch.narrowed(dim: 0, start..<end)
            let out = try body(part)
            for k in 0..<outputs { results[k] += try out[k].contiguous().floats() }
            start = end
        }
        return results
    }

    // MARK: stage 2

    /// R-Net: candidates over the threshold, NMS 0.7 per image, regression, squaring.
    func refine(_ images: [PreparedImage], _ proposals: [[FaceBox]]) throws -> [[FaceBox]] {
        let (batch, owners) = try crops(images, proposals, size: 24)
        guard let batch else { return proposals.map { _ in [] } }
        let out = try chunked(batch, outputs: 2) { x in
            let (regression, probability) = try networks.rnet(x)
            return [regression, probability]
        }
        let (regression, probability) = (out[0], out[1])  // [N, 4], [N, 2]
        let limit = Float(options.thresholds[1])
        var passed = [[(box: FaceBox, score: Float, offsets: (Float, Float, Float, Float))]](
            repeating: [], count: images.count)
        for (n, owner) in owners.enumerated() {
            let score = probability[2 * n + 1]
            guard score > limit else { continue }
            let r = (regression[4 * n], regression[4 * n + 1], regression[4 * n + 2], regression[4 * n + 3])
            passed[owner.image].append((proposals[owner.image][owner.candidate], score, r))
        }
        return passed.map { found in
            let keep = NMS.torchvision(found.map(\.box), scores: found.map(\.score), threshold: 0.7)
            return keep.map { Candidates.rerec(Candidates.bbreg(found[$0].box, found[$0].offsets)) }
        }
    }

    // MARK: stage 3

    /// O-Net: candidates over the threshold with their landmarks, regression, NMS 0.7 over the smaller area.
    func output(_ images: [PreparedImage], _ refined: [[FaceBox]]) throws -> [[DetectedFace]] {
        let (batch, owners) = try crops(images, refined, size: 48)
        guard let batch else { return refined.map { _ in [] } }
        let out = try chunked(batch, outputs: 3) { x in
            let (regression, landmarks, probability) = try networks.onet(x)
            return [regression, landmarks, probability]
        }
        let (regression, landmarks, probability) = (out[0], out[1], out[2])  // [N, 4], [N, 10], [N, 2]
        let limit = Float(options.thresholds[2])
        var found = [[DetectedFace]](repeating: [], count: images.count)
        for (n, owner) in owners.enumerated() {
            let score = probability[2 * n + 1]
            guard score > limit else { continue }
            let box = refined[owner.image][owner.candidate]
            // Landmarks are relative to the box O-Net saw (before its regression), in (x2 - x1 + 1) units.
            let w = box.x2 - box.x1 + 1
            let h = box.y2 - box.y1 + 1
            let points = (0..<5).map { k in
                Point2D(
                    Double(w * landmarks[10 * n + k] + box.x1 - 1), Double(h * landmarks[10 * n + 5 + k] + box.y1 - 1))
            }
            let r = (regression[4 * n], regression[4 * n + 1], regression[4 * n + 2], regression[4 * n + 3])
            found[owner.image].append(DetectedFace(box: Candidates.bbreg(box, r), score: score, landmarks: points))
        }
        return found.map { faces in
            let keep = NMS.pixelInclusive(faces.map(\.box), scores: faces.map(\.score), threshold: 0.7, overlap: .min)
            return keep.map { faces[$0] }
        }
    }
}
