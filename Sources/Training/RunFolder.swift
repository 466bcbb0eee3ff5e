import Foundation
import Support

/// How a run starts in its `run_dir`.
public enum RunStart: Sendable {
    /// A new run: refused when run_dir already holds a checkpoint.
    case fresh
    /// Continue from run_dir/checkpoint.h5 (`--resume`).
    case resume
    /// A new run over an old one (`--force`): its checkpoint goes, its logs are rewritten.
    case replace
}

/// The rules of the run folder, checked before any work: it is not the data (or around it), a new run does
/// not overwrite a checkpoint by accident, and temporaries a killed run left are removed.
public enum RunFolder {
    public static func checkpoint(_ c: TrainingConfig) -> String { c.runDir + "/checkpoint.h5" }

    static func check(_ c: TrainingConfig, start: RunStart) throws {
        let run = resolved(c.runDir)
        let data = resolved(c.dataDir)
        if run == data || run.hasPrefix(data + "/") || data.hasPrefix(run + "/") {
            let relation = run == data ? "is" : run.hasPrefix(data + "/") ? "lies inside" : "contains"
            throw UserError(
                "run_dir \(c.runDir) \(relation) data_dir \(c.dataDir): the run's files would mix with the training "
                    + "images; choose a run_dir outside the data")
        }
        let path = checkpoint(c)
        let exists = FileManager.default.fileExists(atPath: path)
        switch start {
        case .fresh where exists:
            throw UserError(
                "\(path) exists: run_dir already holds a run. Pass --resume to continue it or --force to start over "
                    + "(replacing the run's files)")
        case .resume where !exists:
            throw UserError("--resume: no checkpoint at \(path)")
        default:
            break
        }
    }

    /// Called once the run is about to write: removes what a killed run left and, for `replace`, the old
    /// checkpoint (the new run's first save would skip it, and a NaN would restore the old weights).
    static func prepare(_ c: TrainingConfig, start: RunStart, say: (String) -> Void) throws {
        try FileManager.default.createDirectory(atPath: c.runDir, withIntermediateDirectories: true)
        let stale = AtomicFile.removeStaleTemporaries(in: c.runDir)
        if !stale.isEmpty { say("removed \(stale.count) temporary file(s) a killed run left: \(stale.joined(separator: ", "))") }
        if start == .replace, FileManager.default.fileExists(atPath: checkpoint(c)) {
            try FileManager.default.removeItem(atPath: checkpoint(c))
            say("--force: removed \(checkpoint(c)); starting over")
        }
    }

    /// An absolute path without `.`, `..` or symbolic links (of the part that exists).
    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
