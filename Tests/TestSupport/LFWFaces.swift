import Vision
import XCTest

/// Faces from raw LFW for tests that need real ones without running the detector: the first photo of the
/// first `count` identities (sorted) after `skip`, its middle 160x160 (LFW's 250x250 frames hold the face
/// in the centre).
public enum LFWFaces {
    public static func centreCropped(count: Int, skip: Int = 0) throws -> [Image] {
        let lfw = Reference.sharedData + "/lfw/lfw"
        let people = try ImageFolder.identityNames(root: lfw).dropFirst(skip).prefix(count)
        return try people.map { person in
            let source = try ImageFolder.imageNames(in: "\(lfw)/\(person)")[0]
            let image = try Image.load(path: "\(lfw)/\(person)/\(source)")
            return try XCTUnwrap(image.cropped(x0: 45, y0: 45, x1: 205, y1: 205))
        }
    }
}
