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
    public static func identification(_ r: Identification, threshold: ThresholdInUse, rule: MatchRule) -> JSONValue {
        var members: [JSONValue.Member] = [.init("path", .string(r.path))]
        members += face(r.face)
        members += [
            .init("name", .string(r.decision.name ?? "unknown")),
            .init("distance", r.decision.nearest.map { rounded($0.distance) } ?? .null),
            .init("cosine", r.decision.nearest.map { rounded($0.cosine) } ?? .null),
            .init("nearest", r.decision.nearest.map { .string($0.name) } ?? .null),
            .init("score", r.decision.score.isFinite ? rounded(r.decision.score) : .null),
            .init("threshold", thresholdObject(threshold)),
            .init("rule", .string(rule.rawValue)),
            .init("confidence", rounded(r.decision.confidence)),
            .init(
                "top_k",
                .array(
                    r.candidates.map {
                        .object([.init("name", .string($0.name)), .init("distance", rounded($0.distance)), .init("cosine", rounded($0.cosine))])
                    })),
        ]
        return .object(members)
    }
}
