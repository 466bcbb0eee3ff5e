import Alignment

extension Identification {
    /// Names or "unknown" for the faces of several photos, searched in one call: each face's `top_k` nearest
    /// identities and its open-set decision. `facenet identify` and `facenet serve` share it.
    public static func decide(
        _ photos: [(path: String, faces: [DetectedFace], embeddings: [[Float]])], index: any FaceSearch, rule: MatchRule,
        threshold: ThresholdInUse, topK: Int
    ) throws -> [[Identification]] {
        let decided = try decide(photos.flatMap(\.embeddings), index: index, rule: rule, threshold: threshold, topK: topK)
        var row = 0
        return photos.map { photo in
            photo.faces.map { face in
                let (decision, candidates) = decided[row]
                row += 1
                return Identification(path: photo.path, face: face, decision: decision, candidates: candidates)
            }
        }
    }

    /// The open-set decision and the `top_k` nearest identities of each probe embedding (unit vectors): the
    /// search and decision of `decide(_:index:rule:threshold:topK:)` without photos, for clients that embed
    /// their own faces.
    public static func decide(
        _ probes: [[Float]], index: any FaceSearch, rule: MatchRule, threshold: ThresholdInUse, topK: Int
    ) throws -> [(decision: OpenSetDecision, candidates: [Candidate])] {
        try index.search(probes, rule: rule, k: max(topK, threshold.score.candidatesNeeded)).map { candidates in
            (OpenSetDecision(candidates: candidates, threshold: threshold), Array(candidates.prefix(topK)))
        }
    }
}
