import Alignment
import Eval
import Foundation
import Support
import Vision

/// `facenet identify --video`: faces detected every `detectEvery`-th frame, followed between detections by
/// `FaceTracker`, and identified on their detection frames only; a track's name is the vote of those
/// decisions (`TrackVote`), so one face is not re-recognised on every frame and one bad frame does not rename
/// it (docs/recognition.md, Video).
public struct VideoIdentifyJob {
    /// The threshold, and with it the match rule of the search.
    public var threshold: ThresholdInUse
    public var topK = 3
    /// Detect on every N-th frame (frame 0 first); the others carry the tracks' guessed boxes.
    public var detectEvery = VideoIdentifyJob.defaultDetectEvery
    public var tracker = FaceTracker()

    /// Measured on the test clip (docs/results.md, Video): every track named right with no switch at 1, 2, 3
    /// and 5; 3 keeps a margin for faster motion than the clip's.
    public static let defaultDetectEvery = 3

    public init(threshold: ThresholdInUse) { self.threshold = threshold }

    /// A track's face on one frame.
    public struct TrackedFace: Sendable {
        public let track: Int
        public let box: FaceBox
        /// Whether the box was detected on this frame (else guessed from the track's motion).
        public let detected: Bool
        /// This frame's decision, on a detection frame.
        public let identification: Identification?
        /// The track's name so far (its vote's leader; nil: unknown).
        public let name: String?
        public let votes: Int
    }

    /// What a track was, when it ends.
    public struct TrackSummary: Sendable {
        public let id: Int
        public let firstFrame: Int
        /// The last frame the track was shown on: its last detection and the frames guessed after it.
        public let lastFrame: Int
        public let vote: TrackVote
    }

    public enum Event: Sendable {
        case frame(index: Int, time: Double, detected: Bool, faces: [TrackedFace])
        case trackEnded(TrackSummary)
    }

    public struct Report: Sendable {
        public var frames = 0
        public var detectionFrames = 0
        public var tracks = 0
        public var switches = 0
        public var seconds = 0.0
        /// Frames the container stated but the decoder did not deliver (a truncated file), nil when it stated none.
        public var missingFrames: Int?
        public var framesPerSecond: Double { seconds > 0 ? Double(frames) / seconds : 0 }
    }

    /// Reads `video` to its end (or until `shouldStop`), emitting one event per frame and one per ended track;
    /// `annotate` receives every frame with the tracks drawn.
    public func run(
        video: VideoReader, pipeline: FacePipeline, index: any FaceSearch, annotate: VideoWriter? = nil,
        shouldStop: () -> Bool = { false }, emit: (Event) throws -> Void
    ) throws -> Report {
        var report = Report()
        var tracker = self.tracker
        var votes: [Int: TrackVote] = [:]
        let progress = Progress(label: "identify \(video.source)", total: video.statedFrameCount ?? 0)
        func end(_ track: FaceTracker.Track) throws {
            let vote = votes.removeValue(forKey: track.id) ?? TrackVote()
            report.tracks += 1
            report.switches += vote.switches
            try emit(.trackEnded(TrackSummary(id: track.id, firstFrame: track.firstFrame, lastFrame: track.lastSeenFrame, vote: vote)))
        }
        var frameIndex = 0
        while !shouldStop(), let frame = try video.next() {
            let detecting = frameIndex % detectEvery == 0
            var faces: [TrackedFace] = []
            if detecting {
                report.detectionFrames += 1
                let found = try pipeline.faces(in: frame)
                let identified =
                    found.isEmpty
                    ? []
                    : try Identification.decide(
                        [(video.source, found.map(\.detection), try pipeline.embed(found.map(\.crop)))], index: index,
                        threshold: threshold, topK: topK)[0]
                let (ids, ended) = tracker.update(frame: frameIndex, detections: found.map(\.detection.box))
                for track in ended { try end(track) }
                for (id, identification) in zip(ids, identified) {
                    votes[id, default: TrackVote()].add(identification.decision.name)
                    let vote = votes[id]!
                    faces.append(
                        TrackedFace(
                            track: id, box: identification.face.box, detected: true, identification: identification,
                            name: vote.leader, votes: vote.total))
                }
            } else {
                // Tracks detected on the last detection frame, at their guessed boxes; a track missed there is
                // kept for pairing (`FaceTracker.maxMissed`) but not shown.
                tracker.advance(to: frameIndex)
                faces = tracker.tracks.filter { $0.missed == 0 }.map { tracked($0, votes[$0.id]) }
            }
            faces.sort { $0.track < $1.track }
            try emit(.frame(index: frameIndex, time: Double(frameIndex) / video.frameRate, detected: detecting, faces: faces))
            if let annotate { try annotate.write(Self.draw(faces, on: frame)) }
            frameIndex += 1
            report.frames += 1
            progress.advance()
        }
        for track in tracker.finish() { try end(track) }
        progress.finish()
        report.seconds = progress.elapsed
        if let stated = video.statedFrameCount, !shouldStop() { report.missingFrames = max(0, stated - video.framesRead) }
        try annotate?.finish()
        return report
    }

    private func tracked(_ track: FaceTracker.Track, _ vote: TrackVote?) -> TrackedFace {
        TrackedFace(track: track.id, box: track.box, detected: false, identification: nil, name: vote?.leader, votes: vote?.total ?? 0)
    }

    /// The frame with each track's box and name (green: a name, red: unknown; thin: a guessed box).
    static func draw(_ faces: [TrackedFace], on frame: Image) -> Image {
        var canvas = Canvas(image: frame)
        for face in faces {
            FaceAnnotation.draw(
                face.box, label: "#\(face.track) \(face.name ?? "unknown")", named: face.name != nil, on: &canvas,
                thickness: face.detected ? 3 : 1, textScale: 0.5)
        }
        return canvas.image
    }
}

extension ResultJSON {
    /// One frame of `facenet identify --video`: its index and time, whether faces were detected on it, and
    /// each track's box, name so far, and (on detection frames) this frame's own decision.
    public static func videoFrame(index: Int, time: Double, detected: Bool, faces: [VideoIdentifyJob.TrackedFace]) -> JSONValue {
        .object([
            .init("frame", .int(index)),
            .init("time", rounded(time, 1000)),
            .init("detected", .bool(detected)),
            .init(
                "faces",
                .array(
                    faces.map { face in
                        var members: [JSONValue.Member] = [
                            .init("track", .int(face.track)),
                            .init("box", .array([face.box.x1, face.box.y1, face.box.x2, face.box.y2].map { rounded(Double($0), 100) })),
                            .init("name", .string(face.name ?? "unknown")),
                            .init("votes", .int(face.votes)),
                        ]
                        if let d = face.identification?.decision {
                            members += [
                                .init("frame_name", .string(d.name ?? "unknown")),
                                .init("distance", d.nearest.map { rounded($0.distance) } ?? .null),
                                .init("score", d.score.isFinite ? rounded(d.score) : .null),
                                .init("confidence", rounded(d.confidence)),
                            ]
                        }
                        return .object(members)
                    })),
        ])
    }

    /// A track of `facenet identify --video`, when it ends: its name (the vote's leader), first and last frame,
    /// votes by name and the identity switches within it.
    public static func videoTrack(_ t: VideoIdentifyJob.TrackSummary, frameRate: Double, threshold: ThresholdInUse) -> JSONValue {
        let votes = t.vote.votes.map { ($0.key ?? "unknown", $0.value) }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        return .object([
            .init("track", .int(t.id)),
            .init("name", .string(t.vote.leader ?? "unknown")),
            .init("first_frame", .int(t.firstFrame)),
            .init("last_frame", .int(t.lastFrame)),
            .init("first_time", rounded(Double(t.firstFrame) / frameRate, 1000)),
            .init("last_time", rounded(Double(t.lastFrame) / frameRate, 1000)),
            .init("votes", .object(votes.map { .init($0.0, .int($0.1)) })),
            .init("switches", .int(t.vote.switches)),
            .init("threshold", thresholdObject(threshold)),
        ])
    }
}
