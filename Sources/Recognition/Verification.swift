import Alignment
import Eval
import Foundation
import Support
import Vision

/// `facenet verify A B`: the main face of each photo (or each image as an aligned crop), their distance,
/// and same / different against a pair threshold.
public struct Verification: Sendable {
    public let distance: Double
    public let same: Bool
    /// 0 at the threshold, 1 at the far end of [0, 4] on the side decided.
    public let confidence: Double
    public let faces: [DetectedFace?]

    public var cosine: Double { 1 - distance / 2 }

    /// Compares two images; `aligned`: they are face crops already (no detection).
    public static func compare(_ paths: [String], pipeline: FacePipeline, threshold: PairThreshold, aligned: Bool) throws
        -> Verification
    {
        var crops: [Image] = []
        var faces: [DetectedFace?] = []
        for path in paths {
            let image = try Image.load(path: path)
            if aligned {
                crops.append(image)
                faces.append(nil)
            } else {
                guard let face = try pipeline.mainFace(in: image) else {
                    throw UserError("\(path): no face found (for a face crop already aligned, pass --aligned)")
                }
                crops.append(face.crop)
                faces.append(face.detection)
            }
        }
        let e = try pipeline.embed(crops)
        return decide(e[0], e[1], faces: faces, threshold: threshold)
    }

    /// The decision for two embeddings already made (facenet serve embeds them in its shared batches).
    public static func decide(_ a: [Float], _ b: [Float], faces: [DetectedFace?], threshold: PairThreshold) -> Verification {
        let distance = zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        let t = threshold.value
        let same = distance < t
        let confidence = same ? (t > 0 ? (t - distance) / t : 1) : (t < 4 ? min(1, (distance - t) / (4 - t)) : 1)
        return Verification(distance: distance, same: same, confidence: max(0, confidence), faces: faces)
    }

    public func json(paths: [String], threshold: PairThreshold) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("a", .string(paths[0])), .init("b", .string(paths[1])), .init("same", .bool(same)),
            .init("distance", ResultJSON.rounded(distance)), .init("cosine", ResultJSON.rounded(cosine)),
            .init("threshold", .number(threshold.value)), .init("threshold_origin", .string(threshold.origin)),
            .init("confidence", ResultJSON.rounded(confidence)),
        ]
        for (key, face) in zip(["face_a", "face_b"], faces) {
            members.append(.init(key, face.map { .object(ResultJSON.face($0)) } ?? .null))
        }
        return .object(members)
    }
}
