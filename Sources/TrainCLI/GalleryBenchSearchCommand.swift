import ArgumentParser
import Foundation
import Gallery
import Recognition
import Support
import Eval
import TorchBridge

/// `facenet gallery bench-search` (also driven by bench/search/run.sh): one JSON line with the search latency
/// of one index kind over random unit vectors or a gallery's faces (every fifth held out as a probe), and for
/// HNSW its recall@1 against exact search: what a user needs to choose `identify --index` for a gallery.
struct GalleryBenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-search",
        abstract: "Time the search of a gallery (or of random vectors) and measure HNSW's recall against exact search.",
        discussion: """
            Prints one JSON line: the index's build time, the latency per probe searched alone and per batch of \
            probes, and with --index hnsw the recall@1 (the fraction of probes whose nearest identity is exact \
            search's). With --gallery, every fifth face is held out as a probe and the others indexed; the \
            gallery is only read. docs/recognition.md ("Approximate index"), bench/search.
            """)

    @Option(help: "A gallery whose faces are searched (every fifth held out as a probe); else random vectors.")
    var gallery: String?
    @Option(help: "Random unit vectors in the index (without --gallery).") var faces = 10_000
    @Option(help: "Dimension of the random vectors.") var dimension = 128
    @Option(help: "Seed of the random vectors.") var seed: UInt64 = 1
    @Option(help: "exact (one matrix product) or hnsw (FAISS).") var index: SearchIndexKind = .exact
    @Option(help: "mean (identity means) or min (every face).") var rule: MatchRule = .mean
    @Option(help: "HNSW: candidates kept per search.") var efSearch = HNSWParameters().efSearch
    @Option(help: "HNSW: links per node.") var hnswM = HNSWParameters().m
    @Option(help: "Probes searched one at a time.") var singleProbes = 200
    @Option(help: "Probes searched in one call.") var batch = 1000
    @Option(help: "libtorch and FAISS threads (default: the number of cores).") var threads: Int?

    func validate() throws {
        try usageCheck {
            try OptionRange.check("--faces", faces, in: 1...100_000_000)
            try OptionRange.check("--dimension", dimension, in: 1...4096)
            // Each copy of the random set is faces x dimension floats; 1 GiB (e.g. 2M 128-D faces) is the most.
            if gallery == nil && faces * dimension > 1 << 28 {
                throw UserError("--faces \(faces) x --dimension \(dimension) is \(faces * dimension) floats; at most \(1 << 28) (1 GiB)")
            }
            try OptionRange.check("--single-probes", singleProbes, in: 1...1_000_000)
            try OptionRange.check("--batch", batch, in: 1...1_000_000)
            try OptionRange.check("--threads", threads ?? 1, in: 1...256)
            try HNSWParameters(m: hnswM, efSearch: efSearch).validate()
        }
    }

    func run() throws {
        let n = threads ?? ProcessInfo.processInfo.activeProcessorCount
        try Torch.configure(threads: n)
        try ApproximateIndex.setThreads(n)
        let probeCount = max(singleProbes, batch)
        let (rows, probes): (GalleryRows, [[Float]])
        if let gallery {
            (rows, probes) = SearchBenchmark.heldOut(try GalleryRows(GalleryAddress(gallery).open(readOnly: true)))
        } else {
            (rows, probes) = SearchBenchmark.random(faces: faces, probes: probeCount, dimension: dimension, seed: seed)
        }
        guard !rows.faceIds.isEmpty, !probes.isEmpty else { throw UserError("no faces to search") }
        var bench = SearchBenchmark()
        (bench.kind, bench.rule, bench.singleProbes, bench.batch) = (index, rule, singleProbes, batch)
        bench.parameters = HNSWParameters(m: hnswM, efSearch: efSearch)
        let r = try bench.run(rows, probes: probes)
        var fields: [JSONValue.Member] = [
            .init("index", .string(index.rawValue)), .init("rule", .string(rule.rawValue)), .init("faces", .int(r.faces)),
            .init("source", .string(gallery ?? "random")), .init("threads", .int(n)),
            .init("build_s", .number(r.buildSeconds)), .init("per_probe_ms", .number(r.secondsPerProbe * 1000)),
            .init("batch", .int(min(batch, probes.count))), .init("per_batch_ms", .number(r.secondsPerBatch * 1000)),
        ]
        if index == .hnsw {
            fields += [.init("m", .int(hnswM)), .init("ef_search", .int(efSearch))]
            fields.append(.init("recall_at_1", .number(r.recallAt1 ?? 0)))
        }
        print(JSONValue.object(fields).compact())
    }
}
