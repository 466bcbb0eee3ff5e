// sk_dot_rows (csearchkernel.h). The AVX-512 kernel is compiled for its instruction set with a target
// attribute, so the file builds with the package's default flags and runs on any x86-64 CPU.
#include "csearchkernel.h"

#include <immintrin.h>

// Four rows at a time: four independent sums keep more loads in flight than one.
__attribute__((target("avx512f"))) static void dot_rows_avx512(
    const float *rows, int64_t n, int64_t d, const float *q, float *out) {
    const int64_t lanes = d / 16 * 16;
    int64_t r = 0;
    for (; r + 4 <= n; r += 4) {
        const float *a = rows + r * d;
        __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
        for (int64_t c = 0; c < lanes; c += 16) {
            const __m512 v = _mm512_loadu_ps(q + c);
            s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + c), v, s0);
            s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + d + c), v, s1);
            s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + 2 * d + c), v, s2);
            s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + 3 * d + c), v, s3);
        }
        float t0 = _mm512_reduce_add_ps(s0), t1 = _mm512_reduce_add_ps(s1);
        float t2 = _mm512_reduce_add_ps(s2), t3 = _mm512_reduce_add_ps(s3);
        for (int64_t c = lanes; c < d; ++c) {  // a dimension that is not a multiple of 16
            t0 += a[c] * q[c];
            t1 += a[d + c] * q[c];
            t2 += a[2 * d + c] * q[c];
            t3 += a[3 * d + c] * q[c];
        }
        out[r] = t0, out[r + 1] = t1, out[r + 2] = t2, out[r + 3] = t3;
    }
    for (; r < n; ++r) {
        const float *a = rows + r * d;
        __m512 s = _mm512_setzero_ps();
        for (int64_t c = 0; c < lanes; c += 16) s = _mm512_fmadd_ps(_mm512_loadu_ps(a + c), _mm512_loadu_ps(q + c), s);
        float t = _mm512_reduce_add_ps(s);
        for (int64_t c = lanes; c < d; ++c) t += a[c] * q[c];
        out[r] = t;
    }
}

static void dot_rows_portable(const float *rows, int64_t n, int64_t d, const float *q, float *out) {
    for (int64_t r = 0; r < n; ++r) {
        const float *a = rows + r * d;
        float t = 0;
        for (int64_t c = 0; c < d; ++c) t += a[c] * q[c];
        out[r] = t;
    }
}

void sk_dot_rows(const float *rows, int64_t n, int64_t d, const float *query, float *out) {
    if (__builtin_cpu_supports("avx512f")) {
        dot_rows_avx512(rows, n, d, query, out);
    } else {
        dot_rows_portable(rows, n, d, query, out);
    }
}
