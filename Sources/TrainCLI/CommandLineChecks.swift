import ArgumentParser
import Foundation
import Gallery
import Support

/// What the executable checks around ArgumentParser: words it would misread, and how an error that a
/// subcommand throws while running is reported (the exit statuses are `ExitStatus`'s).
enum CommandLineChecks {
    /// Refuses, as usage errors, `facenet help NAME` for a NAME that is no subcommand (ArgumentParser
    /// prints the top-level help and exits 0), and a file name starting with `-` (read as an option).
    static func check(_ arguments: [String], subcommands: [ParsableCommand.Type]) throws {
        let names = subcommands.map { $0._commandName }
        if arguments.first == "help", arguments.count > 1, !names.contains(arguments[1]) {
            throw ValidationError(
                "unknown subcommand '\(arguments[1])'; the subcommands are \(names.joined(separator: ", "))")
        }
        let options = arguments.prefix { $0 != "--" }
        if let dashed = options.first(where: { $0.hasPrefix("-") && $0.count > 1 && !$0.hasPrefix("--") && isFile($0) }) {
            throw ValidationError(
                "'\(dashed)' is read as an option; to name that file write ./\(dashed) or put -- before it")
        }
    }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Prints `error` and exits: a `ValidationError` with the usage of the subcommand that threw it (64), an
    /// `ExitCode` as it is, a `UserError` or a Foundation file error as `Error: message` (1), a gallery's database out of reach (69), and anything else
    /// (help requests among them) as ArgumentParser reports it.
    static func exit(after error: Error, in command: ParsableCommand.Type, root: ParsableCommand.Type) -> Never {
        switch error {
        case let exitCode as ExitCode:
            Foundation.exit(exitCode.rawValue)
        case let validation as ValidationError:
            let name = ([root] + [command]).map { $0._commandName }.joined(separator: " ")
            printError(
                "Error: \(validation.message)\nUsage: \(root.usageString(for: command))\n"
                    + "  See '\(name) --help' for more information.")
            Foundation.exit(ExitStatus.usage)
        case let user as UserError:
            printError("Error: \(user.message)")
            Foundation.exit(ExitStatus.failure)
        case let unavailable as GalleryUnavailable:
            printError("Error: \(unavailable.message)")
            Foundation.exit(ExitStatus.unavailable)
        case let file as CocoaError:
            // e.g. `NSCocoaErrorDomain Code=516`: said as the message and the path instead.
            let path = file.filePath ?? file.url?.path
            printError("Error: \(file.localizedDescription)" + (path.map { " (\($0))" } ?? ""))
            Foundation.exit(ExitStatus.failure)
        default:
            root.exit(withError: error)
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
