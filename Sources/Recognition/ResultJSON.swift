import Alignment
import Eval

/// The JSON line of each result (keys in a fixed order, docs/recognition.md), through Eval's ordered JSON.
public enum ResultJSON {
    static func rounded(_ x: Double, _ digits: Double = 1e4) -> JSONValue { .number((x * digits).rounded() / digits) }

    public static func face(_ face: DetectedFace) -> [JSONValue.Member] {
        [
            .init("box", .array([face.box.x1, face.box.y1, face.box.x2, face.box.y2].map { rounded(Double($0), 100) })),
            .init("landmarks", .array(face.landmarks.map { .array([rounded($0.x, 100), rounded($0.y, 100)]) })),
            .init("detection_score", rounded(Double(face.score))),
        ]
    }

    public static func thresholdObject(_ t: ThresholdInUse) -> JSONValue {
        .object([.init("score", .string(t.score.rawValue)), .init("value", .number(t.value)), .init("origin", .string(t.origin))])
    }

    /// One face of `facenet identify`.
    public static func identification(_ r: Identification, threshold: ThresholdInUse) -> JSONValue {
        .object([.init("path", .string(r.path))] + face(r.face) + decision(r.decision, candidates: r.candidates, threshold: threshold))
    }

    /// The decision's members of an identification: the name or "unknown", the nearest identity, the score
    /// and threshold, the confidence and the `top_k` nearest.
    public static func decision(_ d: OpenSetDecision, candidates: [Candidate], threshold: ThresholdInUse) -> [JSONValue.Member] {
        [
            .init("name", .string(d.name ?? "unknown")),
            .init("distance", d.nearest.map { rounded($0.distance) } ?? .null),
            .init("cosine", d.nearest.map { rounded($0.cosine) } ?? .null),
            .init("nearest", d.nearest.map { .string($0.name) } ?? .null),
            .init("score", d.score.isFinite ? rounded(d.score) : .null),
            .init("threshold", thresholdObject(threshold)),
            .init("rule", .string(threshold.rule.rawValue)),
            .init("confidence", rounded(d.confidence)),
            .init(
                "top_k",
                .array(
                    candidates.map {
                        .object([.init("name", .string($0.name)), .init("distance", rounded($0.distance)), .init("cosine", rounded($0.cosine))])
                    })),
        ]
    }
}

extension ResultJSON {
    /// One face of `facenet classify predict`: path, box, landmarks, detection score, the name (or "unknown"
    /// when the best probability is below the minimum), its probability, the `top` classes by probability, and
    /// whether it is the photo's main face (the one `facenet align` keeps and `classify train` learns from).
    public static func classification(
        path: String, face: DetectedFace, name: String?, probability: Double, top: [(name: String, probability: Double)],
        mainFace: Bool
    ) -> JSONValue {
        var members: [JSONValue.Member] = [.init("path", .string(path))]
        members += Self.face(face)
        members += [
            .init("main_face", .bool(mainFace)),
            .init("name", .string(name ?? "unknown")),
            .init("probability", rounded(probability)),
            .init("top", .array(top.map { .object([.init("name", .string($0.name)), .init("probability", rounded($0.probability))]) })),
        ]
        return .object(members)
    }
}
