import Alignment

/// Boxes followed between detections by overlap: the IOU tracker of Bochinski, Eiselein and Sikora (AVSS 2017,
/// "High-speed tracking-by-detection without using image information"), with a constant-velocity guess of
/// each box on the frames between detections (detection runs every N-th frame only).
///
/// On a detection frame, detections and tracks are paired greedily, highest IoU first, pairs under `minIoU`
/// refused. A face that moved more than its overlap allows between two detections (fast motion, or
/// detection on every N-th frame of a low-rate video) is then paired by the distance of the box centres,
/// nearest first, when it is under `maxShift` times the track box's side and the sizes differ by less than
/// 2x. An unpaired detection starts a track; a track unpaired for more than `maxMissed` detection frames in
/// a row ends.
public struct FaceTracker {
    public struct Track: Sendable {
        public let id: Int
        /// The box on the current frame: detected, or guessed from the last two detections.
        public internal(set) var box: FaceBox
        public let firstFrame: Int
        /// The frame of the last detection paired with this track.
        public internal(set) var lastDetectedFrame: Int
        /// The last frame shown: the last detection and the frames guessed after it, up to the next
        /// detection frame that missed the track.
        public internal(set) var lastSeenFrame: Int
        /// Box motion per frame (x1, y1, x2, y2), from the last two detections.
        var velocity: (Float, Float, Float, Float) = (0, 0, 0, 0)
        var detectedBox: FaceBox
        var missed = 0
    }

    public var minIoU: Float = 0.3
    public var maxShift: Float = 0.8
    public var maxMissed = 2
    public private(set) var tracks: [Track] = []
    private var nextId = 1

    public init() {}

    /// Moves every track to `frame` (a frame without detection): each box is its last detection plus its
    /// velocity times the frames since.
    public mutating func advance(to frame: Int) {
        for k in tracks.indices {
            let t = tracks[k]
            let dt = Float(frame - t.lastDetectedFrame)
            let (vx1, vy1, vx2, vy2) = t.velocity
            let d = t.detectedBox
            tracks[k].box = FaceBox(x1: d.x1 + vx1 * dt, y1: d.y1 + vy1 * dt, x2: d.x2 + vx2 * dt, y2: d.y2 + vy2 * dt)
            if t.missed == 0 { tracks[k].lastSeenFrame = frame }
        }
    }

    /// Pairs the detections of `frame` with the tracks. Returns the track id of each detection (new tracks for
    /// the unpaired ones) and the tracks that ended (unpaired too many times).
    public mutating func update(frame: Int, detections: [FaceBox]) -> (trackOfDetection: [Int], ended: [Track]) {
        advance(to: frame)
        var pairs: [(iou: Float, track: Int, detection: Int)] = []
        for (t, track) in tracks.enumerated() {
            for (d, box) in detections.enumerated() {
                let iou = track.box.iou(box)
                if iou >= minIoU { pairs.append((iou, t, d)) }
            }
        }
        // Highest IoU first; ties by track then detection, so the pairing does not depend on the sort.
        pairs.sort { ($0.iou, -$0.track, -$0.detection) > ($1.iou, -$1.track, -$1.detection) }
        var shifts: [(shift: Float, track: Int, detection: Int)] = []
        for (t, track) in tracks.enumerated() {
            for (d, box) in detections.enumerated() {
                let side = (track.box.width * track.box.height).squareRoot()
                let ratio = (box.width * box.height).squareRoot() / max(side, 1e-6)
                let shift = track.box.centreDistance(box) / max(side, 1e-6)
                if shift <= maxShift && ratio > 0.5 && ratio < 2 { shifts.append((shift, t, d)) }
            }
        }
        shifts.sort { ($0.shift, $0.track, $0.detection) < ($1.shift, $1.track, $1.detection) }
        var trackOfDetection = [Int?](repeating: nil, count: detections.count)
        var paired = [Bool](repeating: false, count: tracks.count)
        let candidates = pairs.map { ($0.track, $0.detection) } + shifts.map { ($0.track, $0.detection) }
        for pair in candidates.map({ (track: $0.0, detection: $0.1) })
        where !paired[pair.track] && trackOfDetection[pair.detection] == nil {
            paired[pair.track] = true
            trackOfDetection[pair.detection] = tracks[pair.track].id
            var t = tracks[pair.track]
            let box = detections[pair.detection]
            let dt = Float(frame - t.lastDetectedFrame)
            if dt > 0 {
                let old = t.detectedBox
                t.velocity = ((box.x1 - old.x1) / dt, (box.y1 - old.y1) / dt, (box.x2 - old.x2) / dt, (box.y2 - old.y2) / dt)
            }
            t.box = box
            t.detectedBox = box
            t.lastDetectedFrame = frame
            t.lastSeenFrame = frame
            t.missed = 0
            tracks[pair.track] = t
        }
        var ended: [Track] = []
        var kept: [Track] = []
        for (k, var track) in tracks.enumerated() {
            if !paired[k] {
                track.missed += 1
                if track.missed == 1 { track.lastSeenFrame = frame - 1 }
            }
            if track.missed > maxMissed { ended.append(track) } else { kept.append(track) }
        }
        tracks = kept
        let ids = trackOfDetection.enumerated().map { d, id -> Int in
            if let id { return id }
            let track = Track(
                id: nextId, box: detections[d], firstFrame: frame, lastDetectedFrame: frame,
                lastSeenFrame: frame, detectedBox: detections[d])
            nextId += 1
            tracks.append(track)
            return track.id
        }
        return (ids, ended)
    }

    /// Ends every track (the end of the video).
    public mutating func finish() -> [Track] {
        defer { tracks = [] }
        return tracks
    }
}

extension FaceBox {
    /// Intersection over union of two boxes (areas (x2 - x1) * (y2 - y1), as NMS computes them).
    public func iou(_ other: FaceBox) -> Float {
        let w = max(0, min(x2, other.x2) - max(x1, other.x1))
        let h = max(0, min(y2, other.y2) - max(y1, other.y1))
        let intersection = w * h
        let union = width * height + other.width * other.height - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The distance between the two boxes' centres.
    public func centreDistance(_ other: FaceBox) -> Float {
        let dx = (x1 + x2 - other.x1 - other.x2) / 2
        let dy = (y1 + y2 - other.y1 - other.y2) / 2
        return (dx * dx + dy * dy).squareRoot()
    }
}
