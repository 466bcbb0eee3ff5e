import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Support
import UnixSignals

/// Runs the service until SIGTERM or SIGINT: Hummingbird's graceful shutdown (swift-service-lifecycle) stops
/// accepting, lets the requests in flight finish, and only then is the model's queue drained and the gallery
/// checkpointed. Returns the signal that stopped it.
public enum ServeServer {
    public static func run(_ service: ServeService, announce: @escaping @Sendable (String) -> Void) async throws -> Int32 {
        let options = service.options
        let scheme = options.tlsCertificate == nil ? "http" : "https"
        var http = HTTP1Channel.Configuration()
        // Closes connections that send nothing for a while (a client that stalls holds no socket for ever).
        http.idleTimeout = .seconds(Int64(max(1, options.requestTimeout * 2)))
        let server: HTTPServerBuilder
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            server = try .tls(.http1(configuration: http), tlsConfiguration: try tlsConfiguration(certificate: certificate, key: key))
        } else {
            server = .http1(configuration: http)
        }
        var logger = Logger(label: "facenet-serve")
        logger.logLevel = .warning
        let app = Application(
            responder: ServeResponder(router: service.router().buildResponder(), service: service),
            server: server,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "facenet"),
            onServerRunning: { channel in
                announce("facenet serve: listening on \(scheme)://\(options.host):\(channel.localAddress?.port ?? options.port)")
            },
            logger: logger)
        let signal = SignalRecord()
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as IOError {
            try? service.close()
            throw UserError("cannot listen on \(options.host):\(options.port): \(error.description)")
        }
        try service.close()
        return signal.received
    }

    /// The server's TLS settings from PEM files; the CLI calls it before loading the model, to fail fast.
    public static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
        } catch {
            throw UserError("--tls-cert \(certificate) / --tls-key \(key): not a PEM certificate and private key (\(error))")
        }
    }
}

/// Which of SIGTERM / SIGINT stopped the service (for the exit status, 128 + the signal), observed beside
/// swift-service-lifecycle's own handler.
final class SignalRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32 = SIGTERM
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.lock.withLock { self?.value = number } }
            source.resume()
            sources.append(source)
        }
    }

    var received: Int32 { lock.withLock { value } }
}
