import Foundation

/// A path a command reads or writes, with the option or argument that named it (for messages).
public struct NamedPath: Sendable {
    public let role: String
    public let path: String

    public init(_ role: String, _ path: String) {
        self.role = role
        self.path = path
    }
}

/// The one check every command that writes makes before any work: an output must not be one of the
/// command's inputs, nor lie inside an input folder, and it must be creatable where it is (an existing
/// file where a folder goes, or the reverse, is refused here rather than as a Foundation error after the work).
/// Paths are compared after resolving symbolic links, `.` and `..`; existing files also by device and inode,
/// so a hard link to an input counts as that input.
public enum OutputCheck {
    /// `output` will be written as a file (replacing an earlier output is fine; replacing an input is not).
    public static func file(_ output: NamedPath, inputs: [NamedPath]) throws {
        let target = Resolved(output.path)
        if target.isDirectory {
            throw UserError("\(output.role) \(output.path) is a folder; give the name of the file to write")
        }
        try checkCreatable(output, parentOf: target)
        try refuseOverlap(output, target, inputs: inputs)
    }

    /// `output` will be a folder into which the command writes the files `writes` (names relative to it).
    public static func folder(_ output: NamedPath, writes: [String] = [], inputs: [NamedPath]) throws {
        let target = Resolved(output.path)
        if target.exists && !target.isDirectory {
            throw UserError("\(output.role) \(output.path) is a file, not a folder")
        }
        try checkCreatable(output, parentOf: target)
        try refuseOverlap(output, target, inputs: inputs)
        for name in writes {
            let path = (output.path as NSString).appendingPathComponent(name)
            try file(NamedPath(output.role, path), inputs: inputs)
        }
    }

    static func refuseOverlap(_ output: NamedPath, _ target: Resolved, inputs: [NamedPath]) throws {
        for input in inputs {
            let source = Resolved(input.path)
            guard source.exists else { continue }  // the command itself reports a missing input
            if target.isSameFile(as: source) || target.path == source.path {
                throw UserError(
                    "refusing to write \(output.role) \(output.path): it is the \(input.role) \(input.path), "
                        + "which would be lost; write to another path")
            }
            if source.isDirectory && target.path.hasPrefix(source.path == "/" ? "/" : source.path + "/") {
                throw UserError(
                    "refusing to write \(output.role) \(output.path): it lies inside the \(input.role) folder "
                        + "\(input.path), which the command reads; write outside it")
            }
        }
    }

    /// The nearest existing ancestor must be a writable folder (the rest is created).
    static func checkCreatable(_ output: NamedPath, parentOf target: Resolved) throws {
        var ancestor = (target.path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !FileManager.default.fileExists(atPath: ancestor) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UserError("\(output.role) \(output.path) cannot be created: \(ancestor) is a file, not a folder")
        }
        guard access(ancestor, W_OK) == 0 else {
            throw UserError("\(output.role) \(output.path) cannot be created: the folder \(ancestor) is not writable")
        }
    }

    /// An absolute path with symbolic links resolved as far as the path exists, and its identity on disk.
    struct Resolved {
        let path: String
        let exists: Bool
        let isDirectory: Bool
        let device: UInt64
        let inode: UInt64

        init(_ given: String) {
            let absolute =
                given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
            path = Resolved.canonical(absolute)
            var info = stat()
            exists = stat(path, &info) == 0
            isDirectory = exists && (info.st_mode & S_IFMT) == S_IFDIR
            device = exists ? UInt64(info.st_dev) : 0
            inode = exists ? UInt64(info.st_ino) : 0
        }

        func isSameFile(as other: Resolved) -> Bool {
            exists && other.exists && device == other.device && inode == other.inode
        }

        /// Resolves `.`, `..` and links of the longest existing prefix; the missing rest is appended as written.
        static func canonical(_ absolute: String) -> String {
            var existing = (absolute as NSString).standardizingPath
            var rest: [String] = []
            var real = realpath(existing, nil)
            while real == nil, existing != "/" {
                rest.insert((existing as NSString).lastPathComponent, at: 0)
                existing = (existing as NSString).deletingLastPathComponent
                real = realpath(existing, nil)
            }
            guard let real else { return absolute }
            defer { free(real) }
            var result = String(cString: real)
            for part in rest { result = (result as NSString).appendingPathComponent(part) }
            return result
        }
    }
}
