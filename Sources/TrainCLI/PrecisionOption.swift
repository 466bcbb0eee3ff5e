import ArgumentParser
import Foundation
import TorchBridge

extension Precision: ExpressibleByArgument {}

/// `--precision`, for the commands that run the model forward.
struct PrecisionOption: ParsableArguments {
    @Option(
        help: """
            Arithmetic of the forward pass: bf16 (convolutions and matrix products in bfloat16, embeddings and \
            distances float32) or fp32 (default: $FACENET_PRECISION, else bf16 where this CPU computes bfloat16 \
            faster than float32: AMX, or AVX512_BF16 measured faster by a 20 ms probe).
            """)
    var precision: Precision?

    /// The precision that runs; says which on standard error (standard output may carry a command's results).
    func chosen() throws -> Precision {
        let (chosen, note) = try Precision.choose(precision)
        FileHandle.standardError.write(Data((note + "\n").utf8))
        return chosen
    }
}
