import CCPUProbe
import Foundation

/// What this machine's CPU offers for bfloat16: the instruction-set flags Linux lists on the `flags` line of
/// `/proc/cpuinfo` (names as in the kernel's arch/x86/include/asm/cpufeatures.h: `avx512_bf16`, `amx_bf16`)
/// and, where AVX512_BF16 is present, how fast its bfloat16 dot products run against float32 FMAs.
public struct CPUFeatures: Sendable, Equatable {
    public var flags: Set<String>
    /// One core's VDPBF16PS GFLOP/s over its VFMADDPS GFLOP/s (`CCPUProbe`); nil without AVX512_BF16.
    /// Having the instruction is not enough: the Xeon of 2026-12-02 runs it at 0.49x its float32 FMA rate, and
    /// there PyTorch's and our bfloat16 inference are slower than float32 (docs/benchmarks.md), while on an
    /// AMD Zen 5 PyTorch's bfloat16 ran this network 2.13x faster than its float32 (issue #17).
    public var bfloat16DotSpeedup: Double?

    public init(flags: Set<String>, bfloat16DotSpeedup: Double? = nil) {
        self.flags = flags
        self.bfloat16DotSpeedup = bfloat16DotSpeedup
    }

    /// The flags of the first processor in `cpuinfo` (every core of one machine lists the same); none when
    /// the text has no `flags` line (another OS, a container hiding /proc).
    public init(cpuinfo: String, bfloat16DotSpeedup: Double? = nil) {
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }
        let value = line?.split(separator: ":", maxSplits: 1).dropFirst().first ?? ""
        self.init(flags: Set(value.split(separator: " ").map(String.init)), bfloat16DotSpeedup: bfloat16DotSpeedup)
    }

    /// This machine's, read and measured once (the probe takes about 20 ms, and only on CPUs with AVX512_BF16).
    public static let current: CPUFeatures = {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        var features = CPUFeatures(cpuinfo: text)
        if features.flags.contains("avx512_bf16") { features.bfloat16DotSpeedup = measureBFloat16DotSpeedup() }
        return features
    }()

    /// AMX's bfloat16 tiles, which oneDNN uses for bfloat16 convolutions where the kernel lets it.
    public var hasAMXBFloat16: Bool { flags.contains("amx_bf16") }

    /// bfloat16 products in hardware at all (AVX512_BF16 or AMX-BF16). Without either, libtorch still
    /// computes in bfloat16 but converts in software.
    public var hasNativeBFloat16: Bool { flags.contains("avx512_bf16") || hasAMXBFloat16 }

    /// bfloat16 is faster than float32 here: AMX, or AVX512_BF16 dot products that outrun float32 FMAs.
    public var bfloat16IsFaster: Bool { hasAMXBFloat16 || (bfloat16DotSpeedup ?? 0) > 1 }

    /// The flags that say so, for messages ("avx512_bf16", "amx_bf16").
    public var bfloat16Flags: [String] { ["avx512_bf16", "amx_bf16"].filter(flags.contains) }

    /// One core's bfloat16 dot-product rate over its float32 FMA rate (the best of 7 short alternating runs
    /// of each, about 20 ms in all); nil when the CPU cannot run both.
    public static func measureBFloat16DotSpeedup(iterations: Int64 = 200_000, trials: Int32 = 7) -> Double? {
        var fp32 = 0.0
        var bf16 = 0.0
        guard cp_dot_rates(&fp32, &bf16, iterations, trials) == 0, fp32 > 0 else { return nil }
        return bf16 / fp32
    }
}
