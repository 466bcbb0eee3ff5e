import ArgumentParser
import Support

/// Runs the checks of options that a library type states (`OptionRange`) from a command's `validate()`:
/// their `UserError` becomes ArgumentParser's `ValidationError`, so a value out of range is a usage error
/// (exit status 64, the message and the usage line) found before any file is read or written.
func usageCheck(_ checks: () throws -> Void) throws {
    do {
        try checks()
    } catch let error as UserError {
        throw ValidationError(error.message)
    }
}
