import CTorch
import Support
@testable import TorchBridge
import XCTest

final class PrecisionTests: XCTestCase {
    /// bfloat16 keeps float32's sign, 8 exponent bits and the top 7 of its 23 mantissa bits, rounding to the
    /// nearest, ties to even (c10::BFloat16's round_to_nearest_even). Between 1 and 2 its step is 2^-7:
    ///
    /// | float32               | nearest bf16 values          | to        | why                          |
    /// |-----------------------|------------------------------|-----------|------------------------------|
    /// | 1 + 2^-7 = 1.0078125  | itself                       | 1.0078125 | exact (last kept bit set)    |
    /// | 1 + 2^-8 = 1.00390625 | 1 (bit 0), 1.0078125 (bit 1) | 1         | a tie: to the even one       |
    /// | 1 + 3 * 2^-8          | 1.0078125 (odd), 1.015625    | 1.015625  | a tie: to the even one, up   |
    /// | 1 + 2^-8 + 2^-20      | 1, 1.0078125                 | 1.0078125 | past half way: the nearest   |
    /// | -2.5                  | itself                       | -2.5      | exact                        |
    func testBFloat16RoundsToNearestEvenWithSevenMantissaBits() throws {
        let inputs: [Float] = [1 + 0x1p-7, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20, -2.5]
        let expected: [Float] = [1.0078125, 1, 1.015625, 1.0078125, -2.5]
        let t = try Tensor(inputs).to(.bfloat16)
        XCTAssertEqual(try t.dtype, .bfloat16)
        XCTAssertEqual(try t.floats(), expected)
        XCTAssertEqual(try t.to(.float32).dtype, .float32)
        XCTAssertEqual(try t.device, .cpu)
        XCTAssertEqual(try t.to(device: .cpu, dtype: .float64).dtype, .float64)
        XCTAssertEqual(try Tensor.zeros([2], dtype: .bfloat16, device: .cpu).dtype, .bfloat16)
    }

    /// A code the Swift enum does not know is an error, never a silent float32.
    func testUnknownShimCodesAreErrors() {
        XCTAssertThrowsError(try DType(code: ft_dtype(rawValue: 99)))
        XCTAssertThrowsError(try Device(code: ft_device(rawValue: 7)))
        XCTAssertEqual(try DType(code: FT_BFLOAT16), .bfloat16)
    }

    /// Inside the scope, convolutions and matrix products give bfloat16 (close to float32's); outside, and
    /// after an inner scope ends inside an outer one, the state is what it was.
    func testAutocastComputesConvolutionsAndMatrixProductsInBFloat16() throws {
        try Torch.manualSeed(3)
        let conv = try Conv2d(3, 4, kernel: 3)
        let linear = try Linear(5, 2)
        let x = try Tensor.randn([2, 3, 8, 8])
        let v = try Tensor.randn([6, 5])
        let exact = try conv(x).floats()
        let (convType, linearType, innerThenOuter, reduced) = try withAutocast(.bfloat16) {
            let innerThenOuter = try { () throws -> DType in
                _ = try withAutocast(.bfloat16) { try conv(x) }
                return try conv(x).dtype
            }()
            return (try conv(x).dtype, try linear(v).dtype, innerThenOuter, try conv(x).floats())
        }
        XCTAssertEqual(convType, .bfloat16)
        XCTAssertEqual(linearType, .bfloat16)
        XCTAssertEqual(innerThenOuter, .bfloat16)
        XCTAssertEqual(try conv(x).dtype, .float32)
        // 27 products per output; bfloat16 inputs carry a relative error of at most 2^-8 each.
        let scale = exact.map(abs).max()!
        let worst = zip(exact, reduced).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, scale * 0.02)
        XCTAssertGreaterThan(worst, 0, "bfloat16 rounding changed nothing: the convolution did not run in bfloat16")
    }

    /// Autograd records the casts: the float32 weight receives a float32 gradient close to float32's own.
    func testGradientsThroughAutocastReachTheFloat32Weights() throws {
        try Torch.manualSeed(4)
        let conv = try Conv2d(3, 4, kernel: 3)
        let x = try Tensor.randn([2, 3, 8, 8])
        try conv(x).square().sum().backward()
        let exact = try XCTUnwrap(try conv.weight.grad()).floats()
        try conv.weight.zeroGrad()
        let loss = try withAutocast(.bfloat16) { try conv(x).to(.float32).square().sum() }
        try loss.backward()
        let grad = try XCTUnwrap(try conv.weight.grad())
        XCTAssertEqual(try grad.dtype, .float32)
        XCTAssertEqual(try conv.weight.dtype, .float32)
        let scale = exact.map(abs).max()!
        let worst = zip(exact, try grad.floats()).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, scale * 0.03)
    }

    /// `Precision.choose` (speed: one core's bfloat16 dot-product rate over its float32 FMA rate, as measured):
    ///
    /// | asked | CPU flags         | speed | runs | the line says                                  |
    /// |-------|-------------------|-------|------|------------------------------------------------|
    /// | -     | avx512_bf16       | 2.0   | bf16 | the default, the flag and the speed            |
    /// | -     | avx512_bf16       | 0.49  | fp32 | the default: bf16 would be slower              |
    /// | -     | amx_bf16          | -     | bf16 | the default, and the flag                      |
    /// | -     | avx2 only         | -     | fp32 | the default: neither flag                      |
    /// | fp32  | avx512_bf16       | 2.0   | fp32 | as asked                                       |
    /// | bf16  | avx512_bf16       | 0.49  | bf16 | as asked, slower than fp32 here                |
    /// | bf16  | avx2 only         | -     | bf16 | as asked, emulated, slower than fp32           |
    ///
    /// `FACENET_PRECISION` stands in for a request when there is none; a request wins over it.
    func testTheDefaultFollowsWhatTheCPUComputesFaster() throws {
        let fast = CPUFeatures(flags: ["avx2", "avx512f", "avx512_bf16"], bfloat16DotSpeedup: 2.0)
        let slow = CPUFeatures(flags: ["avx2", "avx512f", "avx512_bf16"], bfloat16DotSpeedup: 0.49)
        let amx = CPUFeatures(flags: ["avx2", "amx_bf16", "amx_tile"])
        let plain = CPUFeatures(flags: ["avx2", "fma"])
        let fastText = "this CPU has avx512_bf16, its bfloat16 dot products at 2.00x its float32 FMA rate"
        let slowText = "this CPU has avx512_bf16, its bfloat16 dot products at 0.49x its float32 FMA rate"
        let cases: [(Precision?, CPUFeatures, Precision, String)] = [
            (nil, fast, .bf16, "precision bf16 (the default: \(fastText))"),
            (nil, slow, .fp32, "precision fp32 (the default: \(slowText))"),
            (nil, amx, .bf16, "precision bf16 (the default: this CPU has amx_bf16)"),
            (nil, plain, .fp32, "precision fp32 (the default: this CPU has neither avx512_bf16 nor amx_bf16)"),
            (.fp32, fast, .fp32, "precision fp32 as asked (\(fastText))"),
            (.bf16, slow, .bf16, "precision bf16 as asked, but \(slowText): slower than fp32 here"),
            (.bf16, plain, .bf16, "precision bf16 as asked, but this CPU has neither avx512_bf16 nor amx_bf16: libtorch emulates bfloat16, slower than fp32"),
        ]
        for (asked, cpu, runs, line) in cases {
            let (chosen, note) = try Precision.choose(asked, cpu: cpu, environment: [:])
            XCTAssertEqual(chosen, runs)
            XCTAssertEqual(note, line)
        }
        let pinned = ["FACENET_PRECISION": "fp32"]
        XCTAssertEqual(try Precision.choose(nil, cpu: fast, environment: pinned).0, .fp32)
        XCTAssertEqual(try Precision.choose(nil, cpu: fast, environment: pinned).note, "precision fp32 from FACENET_PRECISION (\(fastText))")
        XCTAssertEqual(try Precision.choose(.bf16, cpu: fast, environment: pinned).0, .bf16)
        XCTAssertThrowsError(try Precision.choose(nil, cpu: fast, environment: ["FACENET_PRECISION": "fp16"])) { error in
            XCTAssertEqual("\(error)", "FACENET_PRECISION must be fp32 or bf16, got 'fp16'")
        }
    }

    /// The probe measures real instructions: both rates are positive on a CPU with AVX512_BF16, and the
    /// speed-up is a ratio a CPU can have (0.1x to 8x: from a slow microcoded instruction to AMX-class).
    func testTheProbeMeasuresThisCPU() throws {
        let cpu = CPUFeatures.current
        try XCTSkipUnless(cpu.flags.contains("avx512_bf16"), "this CPU has no AVX512_BF16")
        let speedup = try XCTUnwrap(CPUFeatures.measureBFloat16DotSpeedup())
        print(String(format: "this CPU's bfloat16 dot products run at %.2fx its float32 FMA rate", speedup))
        XCTAssertTrue((0.1...8).contains(speedup), "\(speedup)")
        XCTAssertNotNil(cpu.bfloat16DotSpeedup)
    }

    func testCPUFlagsAreReadFromCpuinfo() {
        let text = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni
            bugs\t\t: sysret_ss_attrs

            processor\t: 1
            flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni
            """
        let cpu = CPUFeatures(cpuinfo: text)
        XCTAssertEqual(cpu.flags, ["fpu", "sse2", "avx2", "avx512f", "avx512_bf16", "avx512_vnni"])
        XCTAssertTrue(cpu.hasNativeBFloat16)
        XCTAssertFalse(CPUFeatures(cpuinfo: "flags\t: fpu avx2 avx512f\n").hasNativeBFloat16)
        XCTAssertEqual(CPUFeatures(cpuinfo: "").flags, [])
    }
}
