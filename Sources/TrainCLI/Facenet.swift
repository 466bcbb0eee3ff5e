import ArgumentParser
import Foundation
import Support

/// The `facenet` executable: one type per subcommand, nothing but argument handling and wiring.
@main
struct Facenet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facenet",
        abstract: "Align faces, train, evaluate and export FaceNet models, and recognise people with them (Swift over libtorch).",
        discussion: """
            Exit status of every command: 0 done; 1 error (the message names the file or field); 3 done, but \
            some items were skipped (each reported); 64 usage error; 130 / 143 stopped by SIGINT / SIGTERM \
            after keeping what was finished (a rerun resumes).
            """,
        version: "0.1.0",
        subcommands: [
            AlignCommand.self, ClusterCommand.self, DetectCommand.self, EmbedCommand.self, EvalCommand.self,
            ExportCommand.self, TrainCommand.self, LaunchCommand.self, EnrollCommand.self, IdentifyCommand.self, VerifyCommand.self,
            GalleryCommand.self, ClassifyCommand.self, ServeCommand.self,
        ]
    )

    static func main() {
        // Line-buffered stdout, so logs written to a file (nohup, CI) show each line as it happens.
        setvbuf(stdout, nil, _IOLBF, 0)
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            try CommandLineChecks.check(arguments, subcommands: configuration.subcommands)
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)  // ArgumentParser's message with the subcommand's usage; 64 for usage errors
        }
        do {
            try command.run()
        } catch {
            CommandLineChecks.exit(after: error, in: type(of: command), root: self)
        }
    }
}
