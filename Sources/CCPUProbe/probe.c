// The instruction-rate probes of ccpuprobe.h. Each kernel is compiled for its own instruction set (target
// attributes), so the file builds with the package's default flags and runs on any x86-64 CPU: the entry
// points check the CPU first.
#include "ccpuprobe.h"

#include <immintrin.h>
#include <time.h>

#define CHAINS 12  // independent accumulators, more than latency (4) x FMA ports (2): no chain waits

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// Each kernel returns a value that depends on every accumulator, so the compiler keeps all of the work;
// the unrolled loop holds each accumulator in its own register.
__attribute__((target("avx512f"))) static float fp32_chains(int64_t iterations) {
    __m512 acc[CHAINS];
    for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_set1_ps(0.001f * (float)c);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
        for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
    }
    __m512 sum = acc[0];
    for (int c = 1; c < CHAINS; ++c) sum = _mm512_add_ps(sum, acc[c]);
    return _mm512_reduce_add_ps(sum);
}

__attribute__((target("avx512f,avx512bf16"))) static float bf16_chains(int64_t iterations) {
    __m512 acc[CHAINS];
    for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_set1_ps(0.001f * (float)c);
    const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-4f), _mm512_set1_ps(1e-4f));
    for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
        for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_dpbf16_ps(acc[c], a, a);
    }
    __m512 sum = acc[0];
    for (int c = 1; c < CHAINS; ++c) sum = _mm512_add_ps(sum, acc[c]);
    return _mm512_reduce_add_ps(sum);
}

static volatile float sink;

// GFLOP/s of one run of `kernel`.
static double rate(float (*kernel)(int64_t), double flop_per_instruction, int64_t iterations) {
    double start = seconds_now();
    sink = kernel(iterations);
    double elapsed = seconds_now() - start;
    return flop_per_instruction * CHAINS * (double)iterations / elapsed / 1e9;
}

int cp_dot_rates(double *fp32_gflops, double *bf16_gflops, int64_t iterations, int trials) {
    if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bf16")) return 1;
    if (iterations < 1 || trials < 1) return 1;
    double fp32 = 0, bf16 = 0;
    for (int trial = 0; trial < trials; ++trial) {
        double f = rate(fp32_chains, 32, iterations);
        double b = rate(bf16_chains, 64, iterations);
        if (f > fp32) fp32 = f;
        if (b > bf16) bf16 = b;
    }
    *fp32_gflops = fp32;
    *bf16_gflops = bf16;
    return 0;
}
