import ArgumentParser
import TorchBridge
import Training

/// `facenet train`'s data-parallel options; without them (and without torchrun's environment) one process.
struct RankOptions: ParsableArguments {
    @Option(help: "This process's rank, 0..<world-size (else the environment's RANK).")
    var rank: Int?

    @Option(help: "How many ranks train together (else the environment's WORLD_SIZE; none: one process).")
    var worldSize: Int?

    @Option(help: "HOST:PORT of rank 0, which hosts the rendezvous store (else MASTER_ADDR:MASTER_PORT, 127.0.0.1:29500).")
    var master: String?

    @Option(help: "Seconds a rank waits for a lost or hung peer before it stops, naming it (default 60).")
    var distTimeout: Double?

    @Option(help: "Network interface Gloo uses (else GLOO_SOCKET_IFNAME, else the one that reaches the master).")
    var distInterface: String?

    @Option(help: "Gradient bucket size in MiB (DDP's bucket_cap_mb); 0: one all-reduce per tensor.")
    var bucketMb: Double = 25

    @Flag(inversion: .prefixedNo, help: "Start each bucket's all-reduce during the backward pass.")
    var overlap = true

    func validate() throws {
        guard bucketMb >= 0, bucketMb.isFinite else { throw ValidationError("--bucket-mb must be 0 or more, got \(bucketMb)") }
    }

    func collective() throws -> any Collective {
        guard
            let settings = try RankSettings.resolve(
                rank: rank, worldSize: worldSize, master: master, timeout: distTimeout, interface: distInterface)
        else { return SingleProcess() }
        return try GlooCollective(settings, bucketBytes: Int(bucketMb * 1024 * 1024), overlap: overlap)
    }
}
