import Foundation
import GRDB

/// One person of the gallery.
public struct Identity: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "identities"
    public var id: Int64?
    public var name: String
    public var created: String

    public init(id: Int64? = nil, name: String, created: String) {
        self.id = id
        self.name = name
        self.created = created
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One enrolled face: the embedding and where it came from (the photo's path and SHA-256, the box, the five
/// landmarks, the detector's score and the quality measures). The photo itself is never stored.
public struct StoredFace: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "faces"
    public var id: Int64?
    public var identityId: Int64
    public var embedding: Data
    public var sourcePath: String
    public var sourceSHA256: String
    /// x1, y1, x2, y2 in source pixels.
    public var boxX1: Double
    public var boxY1: Double
    public var boxX2: Double
    public var boxY2: Double
    /// Ten numbers: x, y of left eye, right eye, nose, left and right mouth corner (JSON array).
    public var landmarks: String
    public var detectionScore: Double
    /// Variance of the Laplacian of the face crop (higher is sharper).
    public var sharpness: Double
    public var created: String

    public enum CodingKeys: String, CodingKey {
        case id
        case identityId = "identity_id"
        case embedding
        case sourcePath = "source_path"
        case sourceSHA256 = "source_sha256"
        case boxX1 = "box_x1", boxY1 = "box_y1", boxX2 = "box_x2", boxY2 = "box_y2"
        case landmarks
        case detectionScore = "detection_score"
        case sharpness
        case created
    }

    public init(
        id: Int64? = nil, identityId: Int64, embedding: Data, sourcePath: String, sourceSHA256: String,
        box: [Double], landmarks: [Double], detectionScore: Double, sharpness: Double, created: String
    ) {
        self.id = id
        self.identityId = identityId
        self.embedding = embedding
        self.sourcePath = sourcePath
        self.sourceSHA256 = sourceSHA256
        (boxX1, boxY1, boxX2, boxY2) = (box[0], box[1], box[2], box[3])
        self.landmarks = "[" + landmarks.map { String(format: "%.2f", $0) }.joined(separator: ",") + "]"
        self.detectionScore = detectionScore
        self.sharpness = sharpness
        self.created = created
    }

    public var box: [Double] { [boxX1, boxY1, boxX2, boxY2] }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Which model wrote a gallery's embeddings: a gallery is only searched with the same model.
public struct ModelFingerprint: Codable, Equatable, Sendable {
    public var name: String
    public var embeddingSize: Int
    public var imageSize: Int
    public var preprocessing: String
    /// SHA-256 of the weights file, hex.
    public var weightsSHA256: String

    public init(name: String, embeddingSize: Int, imageSize: Int, preprocessing: String, weightsSHA256: String) {
        self.name = name
        self.embeddingSize = embeddingSize
        self.imageSize = imageSize
        self.preprocessing = preprocessing
        self.weightsSHA256 = weightsSHA256
    }
}

/// The open-set threshold of a gallery and where it came from.
public struct StoredThreshold: Codable, Equatable, Sendable {
    /// The score it applies to (`OpenSetScore`'s raw value, e.g. "distance" or "ratio").
    public var score: String
    public var value: Double
    /// How it was set: "default: ..." or "calibrated on N strangers from DIR at FAR F (date)".
    public var origin: String
    /// The match rule (`MatchRule`'s raw value, "min" or "mean") the scores were computed with: a threshold
    /// holds only for the rule it was set with. Nil in galleries written before it was recorded (2026-12-04),
    /// whose default and `gallery calibrate` both used the rule mean unless told otherwise.
    public var rule: String?

    public init(score: String, value: Double, origin: String, rule: String?) {
        self.score = score
        self.value = value
        self.origin = origin
        self.rule = rule
    }
}
