import Foundation

/// The instruction-set flags of this machine's CPU, as Linux lists them on the `flags` line of
/// `/proc/cpuinfo` (names as in the kernel's arch/x86/include/asm/cpufeatures.h: `avx512_bf16`, `amx_bf16`).
public struct CPUFeatures: Sendable, Equatable {
    public var flags: Set<String>

    public init(flags: Set<String>) { self.flags = flags }

    /// The flags of the first processor in `cpuinfo` (every core of one machine lists the same); none when
    /// the text has no `flags` line (another OS, a container hiding /proc).
    public init(cpuinfo: String) {
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }
        let value = line?.split(separator: ":", maxSplits: 1).dropFirst().first ?? ""
        flags = Set(value.split(separator: " ").map(String.init))
    }

    /// This machine's, read once.
    public static let current = CPUFeatures(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")

    /// bfloat16 dot products in hardware: AVX-512 BF16 (VDPBF16PS) or AMX's BF16 tiles. Without either,
    /// libtorch still computes in bfloat16 but converts in software.
    public var hasNativeBFloat16: Bool { flags.contains("avx512_bf16") || flags.contains("amx_bf16") }

    /// The flags that say so, for messages ("avx512_bf16", "amx_bf16").
    public var bfloat16Flags: [String] { ["avx512_bf16", "amx_bf16"].filter(flags.contains) }
}
