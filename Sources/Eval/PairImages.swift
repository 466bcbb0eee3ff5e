import Foundation
import Support

/// Finds the file of an image named by a pairs file: returns its path relative to the image root, or nil when
/// it is missing.
public struct ImageResolver: Sendable {
    public let description: String
    private let find: @Sendable (ImageRef) -> String?

    public init(description: String, _ find: @escaping @Sendable (ImageRef) -> String?) {
        self.description = description
        self.find = find
    }

    public func resolve(_ image: ImageRef) -> String? { find(image) }

    /// Looks for `<root>/<name>/<name>_<NNNN>.<ext>` trying `extensions` in order (no dot) and answers the first
    /// that exists. davidsandberg/facenet `src/lfw.py` `add_extension` tries `.jpg` then `.png`; aligned crops
    /// written by `facenet align` are PNG, so the caller says which to prefer.
    public static func directory(_ root: String, extensions: [String]) -> ImageResolver {
        precondition(!extensions.isEmpty, "at least one extension")
        let list = extensions.map { ".\($0)" }.joined(separator: ", ")
        return ImageResolver(description: "under \(root) with extension \(list)") { image in
            for ext in extensions {
                let relative = image.relativePath(extension: ext)
                if FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(relative)) {
                    return relative
                }
            }
            return nil
        }
    }

    /// Looks the image up among `paths` (relative paths, e.g. those of an embeddings file) with any of
    /// `extensions`.
    public static func listed(_ paths: [String], extensions: [String], source: String) -> ImageResolver {
        let known = Set(paths)
        return ImageResolver(description: "among the \(paths.count) images of \(source)") { image in
            extensions.lazy.map { image.relativePath(extension: $0) }.first { known.contains($0) }
        }
    }
}

/// What to do with a pair one of whose images does not exist.
public enum MissingImagePolicy: String, Sendable {
    /// Leave the pair out and report it: davidsandberg/facenet `src/lfw.py` `get_paths` (the version taking
    /// `file_ext`, commit e7f41a16) keeps a pair only if both files exist and prints `Skipped %d image pairs`
    /// (`nrof_skipped_pairs`). (Its later version calls `add_extension` first, which raises when neither `.jpg`
    /// nor `.png` exists, so the count is never reached; we follow the skip-and-count intent.)
    case skip
    /// Any missing image is an error naming every such pair (up to a limit) with its line.
    case fail
}

/// Indices of a pair's two images in `ResolvedPairs.images`.
public struct PairIndex: Hashable, Sendable {
    public let first: Int
    public let second: Int

    public init(first: Int, second: Int) {
        self.first = first
        self.second = second
    }
}

/// A pair left out because an image is missing or cannot be decoded.
public struct SkippedPair: Sendable {
    public let pair: Pair
    public let missing: [ImageRef]
    /// Images that exist but could not be read, with the reason.
    public var unreadable: [(image: String, reason: String)] = []

    public init(pair: Pair, missing: [ImageRef], unreadable: [(image: String, reason: String)] = []) {
        self.pair = pair
        self.missing = missing
        self.unreadable = unreadable
    }

    /// `Ann/Ann_0009 (missing)`, `Bob/Bob_0001.png (unreadable: ...)`.
    var problems: String {
        (missing.map { "\($0.stem) (missing)" } + unreadable.map { "\($0.image) (unreadable: \($0.reason))" })
            .joined(separator: ", ")
    }
}

/// The pairs of a file whose images all exist, each image listed once so it is embedded once.
public struct ResolvedPairs: Sendable {
    public let file: PairsFile
    /// Kept pairs, in file order.
    public let pairs: [Pair]
    /// Distinct image paths (relative to the resolver's root) in order of first appearance.
    public let images: [String]
    /// For each kept pair, its two rows of `images`.
    public let indices: [PairIndex]
    public let skipped: [SkippedPair]

    public var isSame: [Bool] { pairs.map(\.isSame) }

    /// One line per skipped pair (at most `limit`), or nil when nothing was skipped.
    public func skipReport(limit: Int = 20) -> String? {
        guard !skipped.isEmpty else { return nil }
        var lines = ["Skipped \(skipped.count) of \(file.pairs.count) pairs of \(file.path):"]
        for entry in skipped.prefix(limit) { lines.append("  line \(entry.pair.line): \(entry.problems)") }
        if skipped.count > limit { lines.append("  ... and \(skipped.count - limit) more") }
        return lines.joined(separator: "\n")
    }
}

extension ResolvedPairs {
    /// The same pairs without those that use an image of `unreadable` (rows of `images` with the reason), which
    /// join `skipped`: an image that exists but cannot be decoded is treated as a missing one. The remaining
    /// images keep their order; `rowMap` gives each kept image's old row.
    public func dropping(unreadable: [Int: String]) -> (pairs: ResolvedPairs, rowMap: [Int]) {
        guard !unreadable.isEmpty else { return (self, Array(images.indices)) }
        var newRow: [Int: Int] = [:]
        var rowMap: [Int] = []
        var keptImages: [String] = []
        var keptPairs: [Pair] = []
        var keptIndices: [PairIndex] = []
        var newlySkipped: [SkippedPair] = []
        func row(_ old: Int) -> Int {
            if let row = newRow[old] { return row }
            newRow[old] = keptImages.count
            keptImages.append(images[old])
            rowMap.append(old)
            return keptImages.count - 1
        }
        for (pair, index) in zip(pairs, indices) {
            let bad = [index.first, index.second].filter { unreadable[$0] != nil }
            if bad.isEmpty {
                keptPairs.append(pair)
                keptIndices.append(PairIndex(first: row(index.first), second: row(index.second)))
            } else {
                let reasons = Set(bad).sorted().map { (image: images[$0], reason: unreadable[$0]!) }
                newlySkipped.append(SkippedPair(pair: pair, missing: [], unreadable: reasons))
            }
        }
        let skippedInOrder = (skipped + newlySkipped).sorted { $0.pair.line < $1.pair.line }
        let result = ResolvedPairs(
            file: file, pairs: keptPairs, images: keptImages, indices: keptIndices, skipped: skippedInOrder)
        return (result, rowMap)
    }
}

extension PairsFile {
    /// Maps every pair to its two image files with `resolver`; pairs with a missing image are skipped and
    /// reported (`.skip`) or make the whole call fail (`.fail`).
    public func resolve(with resolver: ImageResolver, missing policy: MissingImagePolicy = .skip) throws
        -> ResolvedPairs
    {
        var found: [ImageRef: String?] = [:]  // one file-system look-up per distinct image
        func look(_ image: ImageRef) -> String? {
            if let cached = found[image] { return cached }
            let path = resolver.resolve(image)
            found[image] = path
            return path
        }
        var rowOf: [String: Int] = [:]
        var images: [String] = []
        func row(_ path: String) -> Int {
            if let row = rowOf[path] { return row }
            rowOf[path] = images.count
            images.append(path)
            return images.count - 1
        }
        var kept: [Pair] = []
        var indices: [PairIndex] = []
        var skipped: [SkippedPair] = []
        for pair in pairs {
            let a = look(pair.first)
            let b = look(pair.second)
            if let a, let b {
                kept.append(pair)
                indices.append(PairIndex(first: row(a), second: row(b)))
            } else {
                let missing = [(pair.first, a), (pair.second, b)].filter { $0.1 == nil }.map(\.0)
                skipped.append(SkippedPair(pair: pair, missing: missing))
            }
        }
        let resolved = ResolvedPairs(file: self, pairs: kept, images: images, indices: indices, skipped: skipped)
        if policy == .fail, !skipped.isEmpty {
            throw UserError(
                "\(skipped.count) pairs of \(path) name images that do not exist \(resolver.description):\n"
                    + resolved.skipReport()!.split(separator: "\n").dropFirst().joined(separator: "\n"))
        }
        return resolved
    }
}
