import Foundation
import Support
import TestSupport
import XCTest

/// Photos the recognition and classifier tests share: the 5-celebrity set scripts/setup.sh unpacks, and LFW;
/// and readers of the JSON lines the commands print.
public enum PhotoFixtures {
    public static var celebrities: String { FacenetHome.path("data", "5-celebrity-faces-dataset") }
    public static var lfw: String { Reference.sharedData + "/lfw/lfw" }

    public static func requireData() throws {
        try FacenetProcess.requireBinary()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: celebrities + "/train"), "run scripts/setup.sh first")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: FacenetHome.pretrainedFaceNet), "run scripts/setup.sh first")
    }

    /// `identify`'s JSON lines.
    public static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The face `facenet align` keeps of each photo (davidsandberg's choice: box area minus twice the squared
    /// offset of its centre from the image centre), from identify's lines; `sizes` gives each photo's size.
    public static func mainFaces(_ rows: [[String: Any]], sizes: [String: (Int, Int)]) -> [String: [String: Any]] {
        var best: [String: (Double, [String: Any])] = [:]
        for row in rows {
            let path = row["path"] as! String
            let b = (row["box"] as! [Double])
            let (w, h) = sizes[path] ?? (0, 0)
            let dx = (b[0] + b[2]) / 2 - Double(w) / 2
            let dy = (b[1] + b[3]) / 2 - Double(h) / 2
            let score = (b[2] - b[0]) * (b[3] - b[1]) - 2 * (dx * dx + dy * dy)
            if best[path].map({ score > $0.0 }) ?? true { best[path] = (score, row) }
        }
        return best.mapValues(\.1)
    }
}
