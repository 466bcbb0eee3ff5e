import Foundation

/// Reading a file or folder a user named: a missing path, a folder where a file is expected (or the
/// reverse), an unreadable file or text that is not UTF-8 is a `UserError` naming what it is and the path,
/// never a Foundation error code.
public enum InputFile {
    /// Checks that `path` is an existing file (not a folder), which the messages call `what`; also for files
    /// another library opens.
    public static func file(_ path: String, what: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UserError("\(what) \(path) does not exist")
        }
        guard !isDirectory.boolValue else { throw UserError("\(what) \(path) is a folder, not a file") }
    }

    /// The bytes of the file `path`, which the messages call `what` (e.g. "the pairs file").
    public static func data(_ path: String, what: String) throws -> Data {
        try file(path, what: what)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserError("\(what) \(path) cannot be read (permissions?)")
        }
        return data
    }

    /// The UTF-8 text of the file `path`.
    public static func text(_ path: String, what: String) throws -> String {
        guard let text = String(data: try data(path, what: what), encoding: .utf8) else {
            throw UserError("\(what) \(path) is not UTF-8 text")
        }
        return text
    }

    /// Checks that `path` is an existing folder.
    public static func folder(_ path: String, what: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw UserError("\(what) \(path) does not exist")
        }
        guard isDirectory.boolValue else { throw UserError("\(what) \(path) is a file, not a folder") }
    }
}
