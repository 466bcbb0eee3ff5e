import Alignment

extension Identification {
    /// Names or "unknown" for the faces of several photos, searched in one call: each face's `top_k` nearest
    /// identities and its open-set decision. `facenet identify` and `facenet serve` share it.
    public static func decide(
        _ photos: [(path: String, faces: [DetectedFace], embeddings: [[Float]])], index: any FaceSearch, rule: MatchRule,
        threshold: ThresholdInUse, topK: Int
    ) throws -> [[Identification]] {
        let searched = try index.search(photos.flatMap(\.embeddings), rule: rule, k: max(topK, threshold.score.candidatesNeeded))
        var row = 0
        return photos.map { photo in
            photo.faces.map { face in
                let candidates = searched[row]
                row += 1
                return Identification(
                    path: photo.path, face: face, decision: OpenSetDecision(candidates: candidates, threshold: threshold),
                    candidates: Array(candidates.prefix(topK)))
            }
        }
    }
}
