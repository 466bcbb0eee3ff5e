// csearchkernel.h: the one-probe exact-search kernel of Recognition/DotProducts.swift, in C so that it can be
// compiled for AVX-512 and chosen at run time: Swift builds for the x86-64 baseline, where a SIMD16<Float>
// becomes four SSE operations (docs/benchmarks.md, bench/search).
//
// Conventions: functions are sk_<noun>_<verb> or sk_<noun>; no state; the caller owns every buffer.
#ifndef CSEARCHKERNEL_H
#define CSEARCHKERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[r] = the dot product of row r of the row-major [n, d] matrix `rows` with `query` ([d]), for r < n. The
/// matrix is read once, in order, four rows at a time; AVX-512 when the CPU has it (__builtin_cpu_supports),
/// else portable C.
void sk_dot_rows(const float *rows, int64_t n, int64_t d, const float *query, float *out);

#ifdef __cplusplus
}
#endif

#endif
