import Alignment

extension Identification {
    /// Names or "unknown" for the faces of several photos, searched in one call: each face's `top_k` nearest
    /// identities and its open-set decision. `facenet identify` and `facenet serve` share it.
    public static func decide(
        _ photos: [(path: String, faces: [DetectedFace], embeddings: [[Float]])], index: any FaceSearch,
        threshold: ThresholdInUse, topK: Int
    ) throws -> [[Identification]] {
        let decided = try decide(photos.flatMap(\.embeddings), index: index, threshold: threshold, topK: topK)
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
    /// search and decision of `decide(_:index:threshold:topK:)` without photos, for clients that embed their
    /// own faces. The search uses the threshold's rule.
    public static func decide(
        _ probes: [[Float]], index: any FaceSearch, threshold: ThresholdInUse, topK: Int
    ) throws -> [(decision: OpenSetDecision, candidates: [Candidate])] {
        try index.search(probes, rule: threshold.rule, k: max(topK, threshold.score.candidatesNeeded)).map { candidates in
            (OpenSetDecision(candidates: candidates, threshold: threshold), Array(candidates.prefix(topK)))
        }
    }
}
