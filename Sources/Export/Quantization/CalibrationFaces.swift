import Foundation
import Support
import Vision

/// The faces int8 calibration runs through the float graph: up to `count` images of a folder
/// (`root/<identity>/<image>` or images directly in `root`), taken one identity at a time in sorted order
/// (the first image of every identity, then the second, ...) so that a few hundred faces cover many people.
/// Images of the model's input size are used as they are; larger ones are centre-cropped to it (a raw LFW
/// photo, 250x250 with the face in the middle, gives the face); smaller ones are skipped with the reason.
public struct CalibrationFaces {
    public let folder: String
    public let paths: [String]

    /// Lists the candidates; a missing folder or one without images is an error before anything is written.
    public init(folder: String, count: Int) throws {
        try InputFile.folder(folder, what: "the --calibration folder")
        guard count > 0 else { throw UserError("--calibration-count must be at least 1, got \(count)") }
        var lists: [[String]] = try ImageFolder.identityNames(root: folder).sorted().map { person in
            try ImageFolder.imageNames(in: folder + "/" + person).sorted().map { "\(folder)/\(person)/\($0)" }
        }
        let direct = try ImageFolder.imageNames(in: folder).sorted().map { "\(folder)/\($0)" }
        if !direct.isEmpty { lists.append(direct) }
        var chosen: [String] = []
        var depth = 0
        while chosen.count < count, lists.contains(where: { $0.count > depth }) {
            for list in lists where list.count > depth && chosen.count < count { chosen.append(list[depth]) }
            depth += 1
        }
        guard !chosen.isEmpty else { throw UserError("calibration folder \(folder) holds no images") }
        self.folder = folder
        paths = chosen
    }

    /// Decodes the faces at `size`; returns them with the skipped files and reasons. Throws when none is usable.
    public func load(size: Int) throws -> (faces: [Image], skipped: [(String, String)]) {
        var faces: [Image] = []
        var skipped: [(String, String)] = []
        for path in paths {
            do {
                let image = try Image.load(path: path)
                if image.width == size && image.height == size {
                    faces.append(image)
                } else if image.width >= size && image.height >= size, let crop = image.cropped(
                    x0: (image.width - size) / 2, y0: (image.height - size) / 2,
                    x1: (image.width - size) / 2 + size, y1: (image.height - size) / 2 + size)
                {
                    faces.append(crop)
                } else {
                    skipped.append((path, "\(image.width)x\(image.height) is smaller than the \(size)x\(size) input"))
                }
            } catch {
                skipped.append((path, "\(error)"))
            }
        }
        guard !faces.isEmpty else {
            throw UserError("calibration folder \(folder): none of \(paths.count) images is usable, e.g. \(skipped.first.map { "\($0.0): \($0.1)" } ?? "")")
        }
        return (faces, skipped)
    }
}
