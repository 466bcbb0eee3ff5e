// csearchkernel.h: the one-probe exact-search kernel of Recognition/DotProducts.swift, in C so that it can be
// compiled for AVX-512 and chosen at run time: Swift builds for the x86-64 baseline, where a SIMD16<Float>
// becomes four SSE operations (docs/benchmarks.md, bench/search).
//
// Conventions: functions are sk_<noun>_<verb> or sk_<noun>, return 0 on success and 1 when the CPU cannot run
// the asked kernel (checked first, so no call can fault); no state; the caller owns every buffer.
#ifndef CSEARCHKERNEL_H
#define CSEARCHKERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets the kernel is compiled for.
typedef enum {
    SK_AVX512 = 0,
    SK_AVX2 = 1,  // with FMA
    SK_BASELINE = 2,  // x86-64's SSE2
} sk_kernel;

/// out[r] = the dot product of row r of the row-major [n, d] matrix `rows` with `query` ([d]), for r < n. The
/// matrix is read once, in order, four rows at a time, with the best kernel the CPU runs
/// (__builtin_cpu_supports).
void sk_dot_rows(const float *rows, int64_t n, int64_t d, const float *query, float *out);

/// The same with a given kernel (the tests run each one the CPU has): 0, or 1 when the CPU cannot run it.
int sk_dot_rows_with(sk_kernel kernel, const float *rows, int64_t n, int64_t d, const float *query, float *out);

#ifdef __cplusplus
}
#endif

#endif
