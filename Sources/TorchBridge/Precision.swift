import Foundation
import Support

/// The arithmetic forward and backward passes run in (`--precision`, `precision:` in training configs).
/// Weights, optimizer state, losses, the L2 normalisation of embeddings and every distance stay float32 in
/// either; checkpoints are float32 whatever the precision they were trained in.
public enum Precision: String, Choice {
    case fp32
    /// Convolutions and matrix products in bfloat16 through libtorch's CPU autocast (`withAutocast`).
    case bf16

    /// bf16 where the CPU computes bfloat16 in hardware (AVX512_BF16 or AMX), fp32 elsewhere.
    public static func hardwareDefault(_ cpu: CPUFeatures = .current) -> Precision {
        cpu.hasNativeBFloat16 ? .bf16 : .fp32
    }

    /// The variable that sets the default for every command and config that does not say (test runs pin
    /// fp32 with it, so that their float32 references hold on any CPU).
    public static let environmentVariable = "FACENET_PRECISION"

    /// What runs when `requested` (nil: not asked for) is given on `cpu`: the request, else
    /// `$FACENET_PRECISION`, else the hardware's default; with the line that says which was chosen and why,
    /// which warns when bf16 runs without hardware support (libtorch emulates it, slower than fp32).
    public static func choose(
        _ requested: Precision?, cpu: CPUFeatures = .current,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (Precision, note: String) {
        let hardware =
            cpu.hasNativeBFloat16
            ? "this CPU has \(cpu.bfloat16Flags.joined(separator: " and "))"
            : "this CPU has neither avx512_bf16 nor amx_bf16"
        var asked = requested.map { ($0, "as asked") }
        if asked == nil, let text = environment[environmentVariable], !text.isEmpty {
            guard let value = Precision(rawValue: text) else {
                throw UserError("\(environmentVariable) must be \(allowedText), got '\(text)'")
            }
            asked = (value, "from \(environmentVariable)")
        }
        switch (asked, cpu.hasNativeBFloat16) {
        case (nil, _):
            let chosen = hardwareDefault(cpu)
            return (chosen, "precision \(chosen.rawValue) (the default: \(hardware))")
        case ((.bf16, let how)?, false):
            return (.bf16, "precision bf16 \(how), but \(hardware): libtorch emulates bfloat16, slower than fp32")
        case ((let chosen, let how)?, _):
            return (chosen, "precision \(chosen.rawValue) \(how) (\(hardware))")
        }
    }

    /// The type convolutions and matrix products compute in.
    public var computeType: DType {
        switch self {
        case .fp32: .float32
        case .bf16: .bfloat16
        }
    }

    /// Runs `body` (synchronously, on this thread) in this precision.
    public func run<T>(_ body: () throws -> T) throws -> T {
        switch self {
        case .fp32: try body()
        case .bf16: try withAutocast(.bfloat16, body)
        }
    }
}
