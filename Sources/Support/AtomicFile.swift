import Foundation

/// Files are never left half-written: write to `NAME.tmp-<pid>` beside the target, then rename over it.
public enum AtomicFile {
    static let temporaryMarker = ".tmp-"

    /// The temporary path a writer of `path` uses before the rename. `keepingExtension` repeats the target's
    /// extension at the end (`clip.mp4.tmp-4711.mp4`), for writers that choose a format by the name (FFmpeg).
    public static func temporaryPath(for path: String, keepingExtension: Bool = false) -> String {
        let ext = (path as NSString).pathExtension
        let base = "\(path)\(temporaryMarker)\(ProcessInfo.processInfo.processIdentifier)"
        return keepingExtension && !ext.isEmpty ? base + "." + ext : base
    }

    /// The target and writer of a temporary's file name (`checkpoint.h5.tmp-4711` -> `checkpoint.h5`, 4711;
    /// `clip.mp4.tmp-4711.mp4` -> `clip.mp4`, 4711); nil for any other name.
    public static func temporaryParts(of name: String) -> (target: String, pid: Int32)? {
        guard let marker = name.range(of: temporaryMarker, options: .backwards), marker.lowerBound > name.startIndex
        else { return nil }
        let target = String(name[..<marker.lowerBound])
        var tail = name[marker.upperBound...]
        let ext = (target as NSString).pathExtension
        if !ext.isEmpty, tail.hasSuffix("." + ext) { tail = tail.dropLast(ext.count + 1) }
        guard let pid = Int32(tail), pid > 0 else { return nil }
        return (target, pid)
    }

    /// Removes the temporaries in `folder` whose writer is no longer running (a killed run's, which would
    /// otherwise stay forever: up to a checkpoint's size each), for the given targets (nil: any target).
    /// A live process's temporary is kept, whoever it is. Returns the names removed.
    @discardableResult
    public static func removeStaleTemporaries(in folder: String, targets: Set<String>? = nil) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let (target, pid) = temporaryParts(of: name), targets?.contains(target) ?? true else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists (EPERM: alive, another user's).
            if kill(pid, 0) != 0 && errno == ESRCH && unlink(folder + "/" + name) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Moves a finished temporary file onto `path` (atomic within one file system).
    public static func commit(temporary: String, to path: String) throws {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw UserError("cannot move \(temporary) to \(path): \(reason)")
        }
    }

    /// Writes `data` to `path` through a temporary file, creating the parent folder if needed.
    public static func write(_ data: Data, to path: String) throws {
        try produce(path) { temporary in
            do {
                try data.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw UserError("cannot write \(temporary): \(error.localizedDescription)")
            }
        }
    }

    /// Runs `body` with a temporary path to fill, then renames it onto `path`; on error the temporary is removed.
    /// Temporaries of the same target left by a writer that was killed are removed first, so every atomic
    /// output cleans up after its own interrupted runs.
    public static func produce(_ path: String, keepingExtension: Bool = false, _ body: (String) throws -> Void) throws {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        _ = removeStaleTemporaries(in: parent.isEmpty ? "." : parent, targets: [(path as NSString).lastPathComponent])
        let temporary = temporaryPath(for: path, keepingExtension: keepingExtension)
        do {
            try body(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        try commit(temporary: temporary, to: path)
    }
}
