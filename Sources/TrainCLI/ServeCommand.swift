import ArgumentParser
import Foundation
import Gallery
import Recognition
import Serve
import Support

extension APIKeyRole: ExpressibleByArgument {}

/// `facenet serve --gallery G.db` and `facenet serve keys add --role read|write --gallery G.db`.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve recognition over HTTP: detect, embed, verify, recognize, enroll (docs/serve.md).",
        subcommands: [ServeRunCommand.self, ServeKeysCommand.self],
        defaultSubcommand: ServeRunCommand.self
    )
}

/// `facenet serve [run] --gallery G.db [--host 127.0.0.1] [--port 8080] ...`: parses and wires; the service
/// is the Serve target's.
struct ServeRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the service until SIGTERM or SIGINT (requests in flight are finished first).",
        discussion: """
            Binds 127.0.0.1 unless --host says otherwise. Every /api/v1 route needs an x-api-key header with a \
            key made by `facenet serve keys add` (read: detect, embed, verify, recognize, list; write: also enroll \
            and delete). The page at / draws the faces and names of a dropped photo. The gallery's threshold \
            decides names as in `facenet identify`.
            """
    )

    @OptionGroup var galleryOption: GalleryOption

    @Option(help: "Address to listen on (default: loopback only).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "PEM certificate chain: serve HTTPS (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Photos of concurrent requests detected and embedded together, 1...256 (1: no batching).")
    var maxBatch = ServeOptions().maxBatch

    @Option(help: "Milliseconds the first photo of a batch waits for others, 0...1000.")
    var maxWaitMs = ServeOptions().maxWait * 1000

    @Option(help: "Largest request body in megabytes (413 above it).")
    var maxBodyMb = Double(ServeOptions().bodyLimit >> 20)

    @Option(help: "Largest image in pixels, read from its header before decoding (413 above it).")
    var maxPixels = ServeOptions().maxPixels

    @Option(help: "Seconds a request may take (408 while its body is arriving, 503 after).")
    var requestTimeout = ServeOptions().requestTimeout

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        try usageCheck {
            try OptionRange.check("--port", port, in: 0...65535)
            try OptionRange.check("--max-batch", maxBatch, in: 1...256)
            try OptionRange.check("--max-wait-ms", maxWaitMs, in: 0...1000)
            try OptionRange.check("--max-body-mb", maxBodyMb, in: 0.001...1024)
            try OptionRange.check("--max-pixels", maxPixels, in: 1...ServeOptions.maxPixelsLimit)
            try OptionRange.check("--request-timeout", requestTimeout, in: 0.1...3600)
        }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if pipelineOptions.modelOptions.model != nil {
            throw ValidationError("facenet serve uses the pretrained model's pair threshold for /verify: --model is not supported yet")
        }
    }

    func run() throws {
        var options = ServeOptions()
        (options.host, options.port, options.tlsCertificate, options.tlsKey) = (host, port, tlsCert, tlsKey)
        (options.maxBatch, options.maxWait) = (maxBatch, maxWaitMs / 1000)
        (options.bodyLimit, options.maxPixels, options.requestTimeout) = (Int(maxBodyMb * 1_048_576), maxPixels, requestTimeout)
        if let tlsCert, let tlsKey {
            try InputFile.file(tlsCert, what: "--tls-cert")
            try InputFile.file(tlsKey, what: "--tls-key")
            _ = try ServeServer.tlsConfiguration(certificate: tlsCert, key: tlsKey)
        }
        let (pipeline, fingerprint) = try pipelineOptions.pipeline()
        let gallery = try galleryOption.address.open { try fingerprint.checkMatches($0, of: galleryOption.name) }
        let service = try ServeService(options: options, pipeline: pipeline, database: gallery)
        let signal = try AsyncBridge.wait {
            try await ServeServer.run(service) { line in print(line) }
        }
        print("facenet serve: stopped by signal \(signal) after finishing the requests in flight; \(galleryOption.name) closed")
        throw ExitCode(ExitStatus.interrupted(by: signal))
    }
}

/// `facenet serve keys add`.
struct ServeKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the service's API keys.", subcommands: [ServeKeysAddCommand.self])
}

struct ServeKeysAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Make an API key; its SHA-256 is stored in the gallery and the key is printed on the last line (shown once).")

    @Option(help: "read: detect, embed, verify, recognize, list; write: also enroll and delete.")
    var role: APIKeyRole

    @Option(help: "A note stored with the key (who or what uses it).")
    var label = ""

    @OptionGroup var galleryOption: GalleryOption

    func run() throws {
        let key = try APIKeys.add(role: role, label: label, gallery: try galleryOption.open())
        print("serve keys: added a \(role.rawValue) key to \(galleryOption.name); it is not stored, keep it:")
        print(key)
    }
}

/// Runs async work from a synchronous command (the executable's `main` is synchronous) and waits for it.
enum AsyncBridge {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            semaphore.signal()
        }
        semaphore.wait()
        return try box.result!.get()
    }

    private final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
