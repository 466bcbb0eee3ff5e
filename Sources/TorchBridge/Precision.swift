import Foundation
import Support

/// The arithmetic forward and backward passes run in (`--precision`, `precision:` in training configs).
/// Weights, optimizer state, losses, the L2 normalisation of embeddings and every distance stay float32 in
/// either; checkpoints are float32 whatever the precision they were trained in.
public enum Precision: String, Choice {
    case fp32
    /// Convolutions and matrix products in bfloat16 through libtorch's CPU autocast (`withAutocast`).
    case bf16

    /// bf16 where the CPU computes bfloat16 faster than float32 (AMX, or AVX512_BF16 dot products that outrun
    /// its float32 FMAs: `CPUFeatures.bfloat16IsFaster`), fp32 elsewhere.
    public static func hardwareDefault(_ cpu: CPUFeatures = .current) -> Precision {
        cpu.bfloat16IsFaster ? .bf16 : .fp32
    }

    /// The variable that sets the default for every command and config that does not say (test runs pin
    /// fp32 with it, so that their float32 references hold on any CPU).
    public static let environmentVariable = "FACENET_PRECISION"

    /// What runs when `requested` (nil: not asked for) is given on `cpu`: the request, else
    /// `$FACENET_PRECISION`, else the hardware's default; with the line that says which was chosen and why,
    /// which warns when bf16 runs where it is slower than fp32 (emulated without AVX512_BF16 or AMX, or
    /// slow bfloat16 instructions).
    public static func choose(
        _ requested: Precision?, cpu: CPUFeatures = .current,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (Precision, note: String) {
        var asked = requested.map { ($0, "as asked") }
        if asked == nil, let text = environment[environmentVariable], !text.isEmpty {
            guard let value = Precision(rawValue: text) else {
                throw UserError("\(environmentVariable) must be \(allowedText), got '\(text)'")
            }
            asked = (value, "from \(environmentVariable)")
        }
        let hardware = describe(cpu)
        guard let (chosen, how) = asked else {
            let chosen = hardwareDefault(cpu)
            return (chosen, "precision \(chosen.rawValue) (the default: \(hardware))")
        }
        if chosen == .bf16 && !cpu.hasNativeBFloat16 {
            return (.bf16, "precision bf16 \(how), but \(hardware): libtorch emulates bfloat16, slower than fp32")
        }
        if chosen == .bf16 && !cpu.bfloat16IsFaster {
            return (.bf16, "precision bf16 \(how), but \(hardware): slower than fp32 here")
        }
        return (chosen, "precision \(chosen.rawValue) \(how) (\(hardware))")
    }

    /// "this CPU has avx512_bf16, its bfloat16 dot products at 0.49x its float32 FMA rate", and the like.
    static func describe(_ cpu: CPUFeatures) -> String {
        guard cpu.hasNativeBFloat16 else { return "this CPU has neither avx512_bf16 nor amx_bf16" }
        let flags = "this CPU has \(cpu.bfloat16Flags.joined(separator: " and "))"
        guard !cpu.hasAMXBFloat16, let speedup = cpu.bfloat16DotSpeedup else { return flags }
        return flags + String(format: ", its bfloat16 dot products at %.2fx its float32 FMA rate", speedup)
    }

    /// Runs `body` (synchronously, on this thread) in this precision.
    public func run<T>(_ body: () throws -> T) throws -> T {
        switch self {
        case .fp32: try body()
        case .bf16: try withAutocast(.bfloat16, body)
        }
    }
}
