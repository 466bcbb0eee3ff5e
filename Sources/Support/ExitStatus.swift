/// The exit statuses of every `facenet` command: one policy, stated once here and in the README's table.
///
/// | status | meaning |
/// |---|---|
/// | 0 | done: every item was processed |
/// | 1 | error: the command stopped; the message on stderr names the file or field and the problem |
/// | 3 | done, but some items were skipped (undecodable images, images without a face, pairs without an image); each is reported |
/// | 64 | usage: an unknown option, a missing or malformed value (nothing was read or written) |
/// | 69 | the gallery's PostgreSQL server cannot be reached: nothing was changed; run it again when it is back |
/// | 130, 143 | stopped by SIGINT or SIGTERM (128 + the signal) after keeping what was finished; a rerun resumes |
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let someSkipped: Int32 = 3
    /// EX_USAGE of sysexits.h, which swift-argument-parser also uses for parse errors.
    public static let usage: Int32 = 64
    /// The gallery's PostgreSQL server cannot be reached: EX_UNAVAILABLE of sysexits.h.
    public static let unavailable: Int32 = 69

    /// 128 + the signal's number, as a shell reports a process the signal ended.
    public static func interrupted(by signal: Int32) -> Int32 { 128 + signal }
}
