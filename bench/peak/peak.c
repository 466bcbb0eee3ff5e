// bench/peak: the machine's arithmetic peak per core and for all threads, measured with independent chains
// of AVX-512 instructions that keep every FMA port busy (no memory traffic):
//   fp32: VFMADDPS zmm (16 lanes x multiply + add = 32 FLOP per instruction);
//   bf16: VDPBF16PS zmm (32 bfloat16 pairs multiplied and summed into 16 float32 lanes = 64 FLOP), the
//         instruction oneDNN's bfloat16 convolutions are built on (AVX512_BF16).
// Counts as FLOP what a model's FLOP count counts: one multiply and one add per multiply-accumulate.
// Prints one JSON line. Build: gcc -O2 -mavx512f -mavx512bf16 -fopenmp peak.c (bench/peak/run.sh).
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12  // independent accumulators: more than latency (4) x ports (2), so no chain waits

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Each returns a value that depends on every accumulator, so the compiler keeps all of the work.
static float fp32_chains(long iterations) {
    __m512 acc[CHAINS];
    for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_set1_ps(0.001f * c);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (long i = 0; i < iterations; ++i) {
        for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
    }
    __m512 sum = acc[0];
    for (int c = 1; c < CHAINS; ++c) sum = _mm512_add_ps(sum, acc[c]);
    return _mm512_reduce_add_ps(sum);
}

static float bf16_chains(long iterations) {
    __m512 acc[CHAINS];
    for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_set1_ps(0.001f * c);
    const __m512bh a = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-4f), _mm512_set1_ps(1e-4f));
    const __m512bh b = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-4f), _mm512_set1_ps(1e-4f));
    for (long i = 0; i < iterations; ++i) {
        for (int c = 0; c < CHAINS; ++c) acc[c] = _mm512_dpbf16_ps(acc[c], a, b);
    }
    __m512 sum = acc[0];
    for (int c = 1; c < CHAINS; ++c) sum = _mm512_add_ps(sum, acc[c]);
    return _mm512_reduce_add_ps(sum);
}

// GFLOP/s of `threads` threads each running `kernel` for `iterations` (best of 3).
static double rate(float (*kernel)(long), double flop_per_instruction, long iterations, int threads, float *sink) {
    double best = 0;
    for (int trial = 0; trial < 3; ++trial) {
        double start = now();
#pragma omp parallel num_threads(threads) reduction(+ : sink[:1])
        sink[0] += kernel(iterations);
        double seconds = now() - start;
        double gflops = flop_per_instruction * CHAINS * iterations * threads / seconds / 1e9;
        if (gflops > best) best = gflops;
    }
    return best;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : omp_get_num_procs();
    long iterations = argc > 2 ? atol(argv[2]) : 200000000L / CHAINS;
    float sink = 0;
    rate(fp32_chains, 32, iterations / 10, threads, &sink);  // warm-up: clocks and AVX-512 licence
    double fp32_one = rate(fp32_chains, 32, iterations, 1, &sink);
    double fp32_all = rate(fp32_chains, 32, iterations, threads, &sink);
    double bf16_one = rate(bf16_chains, 64, iterations, 1, &sink);
    double bf16_all = rate(bf16_chains, 64, iterations, threads, &sink);
    printf("{\"threads\": %d, \"fp32_gflops_1\": %.1f, \"fp32_gflops\": %.1f, \"bf16_gflops_1\": %.1f, "
           "\"bf16_gflops\": %.1f, \"sink\": %g}\n",
           threads, fp32_one, fp32_all, bf16_one, bf16_all, sink);
    return 0;
}
