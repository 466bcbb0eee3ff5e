// sk_dot_rows (csearchkernel.h). Three kernels, each compiled for its instruction set with a target attribute,
// so the file builds with the package's default flags and runs on any x86-64 CPU; the entry points check the
// CPU first. AVX-512 and AVX2 are one kernel written once (`DOT_ROWS_KERNEL`, over the vector type and its
// operations): intrinsics, because the compiler's own vectorisation of the portable loop below was 1.4x slower
// at 1M x 128 with AVX-512 (bench/search, 2026-12-06). The portable loop is the x86-64 baseline's kernel: each
// of 16 lanes keeps its own partial sum, so it vectorises without reassociating a sum.
#include "csearchkernel.h"

#include <immintrin.h>

// Four rows at a time: four independent sums keep more loads in flight than one. W floats per vector.
#define DOT_ROWS_KERNEL(NAME, TARGET, VEC, W, ZERO, LOAD, FMA, REDUCE)                                         \
    __attribute__((target(TARGET))) static void NAME(                                                          \
        const float *rows, int64_t n, int64_t d, const float *q, float *out) {                                 \
        const int64_t whole = d / W * W;                                                                        \
        int64_t r = 0;                                                                                          \
        for (; r + 4 <= n; r += 4) {                                                                            \
            const float *a = rows + r * d;                                                                      \
            VEC s0 = ZERO(), s1 = ZERO(), s2 = ZERO(), s3 = ZERO();                                             \
            for (int64_t c = 0; c < whole; c += W) {                                                            \
                const VEC v = LOAD(q + c);                                                                      \
                s0 = FMA(LOAD(a + c), v, s0);                                                                   \
                s1 = FMA(LOAD(a + d + c), v, s1);                                                               \
                s2 = FMA(LOAD(a + 2 * d + c), v, s2);                                                           \
                s3 = FMA(LOAD(a + 3 * d + c), v, s3);                                                           \
            }                                                                                                   \
            float t0 = REDUCE(s0), t1 = REDUCE(s1), t2 = REDUCE(s2), t3 = REDUCE(s3);                           \
            for (int64_t c = whole; c < d; ++c) { /* a dimension that is not a multiple of W */                 \
                t0 += a[c] * q[c];                                                                              \
                t1 += a[d + c] * q[c];                                                                          \
                t2 += a[2 * d + c] * q[c];                                                                      \
                t3 += a[3 * d + c] * q[c];                                                                      \
            }                                                                                                   \
            out[r] = t0, out[r + 1] = t1, out[r + 2] = t2, out[r + 3] = t3;                                     \
        }                                                                                                       \
        for (; r < n; ++r) {                                                                                    \
            const float *a = rows + r * d;                                                                      \
            VEC s = ZERO();                                                                                     \
            for (int64_t c = 0; c < whole; c += W) s = FMA(LOAD(a + c), LOAD(q + c), s);                       \
            float t = REDUCE(s);                                                                                \
            for (int64_t c = whole; c < d; ++c) t += a[c] * q[c];                                               \
            out[r] = t;                                                                                         \
        }                                                                                                       \
    }

__attribute__((target("avx2"))) static inline float sum256(__m256 v) {
    const __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 p = _mm_add_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_add_ss(p, _mm_shuffle_ps(p, p, 1)));
}

DOT_ROWS_KERNEL(dot_rows_avx512, "avx512f", __m512, 16, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_fmadd_ps,
                _mm512_reduce_add_ps)
DOT_ROWS_KERNEL(dot_rows_avx2, "avx2,fma", __m256, 8, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_fmadd_ps, sum256)

#define LANES 16

static void dot_rows_baseline(const float *rows, int64_t n, int64_t d, const float *q, float *out) {
    const int64_t whole = d / LANES * LANES;
    for (int64_t r = 0; r < n; ++r) {
        const float *a = rows + r * d;
        float s[LANES] = {0};
        for (int64_t c = 0; c < whole; c += LANES) {
            for (int l = 0; l < LANES; ++l) s[l] += a[c + l] * q[c + l];
        }
        float t = 0;
        for (int l = 0; l < LANES; ++l) t += s[l];
        for (int64_t c = whole; c < d; ++c) t += a[c] * q[c];
        out[r] = t;
    }
}

int sk_dot_rows_with(sk_kernel kernel, const float *rows, int64_t n, int64_t d, const float *query, float *out) {
    switch (kernel) {
    case SK_AVX512:
        if (!__builtin_cpu_supports("avx512f")) return 1;
        dot_rows_avx512(rows, n, d, query, out);
        return 0;
    case SK_AVX2:
        if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return 1;
        dot_rows_avx2(rows, n, d, query, out);
        return 0;
    case SK_BASELINE:
        dot_rows_baseline(rows, n, d, query, out);
        return 0;
    }
    return 1;
}

void sk_dot_rows(const float *rows, int64_t n, int64_t d, const float *query, float *out) {
    if (sk_dot_rows_with(SK_AVX512, rows, n, d, query, out) == 0) return;
    if (sk_dot_rows_with(SK_AVX2, rows, n, d, query, out) == 0) return;
    sk_dot_rows_with(SK_BASELINE, rows, n, d, query, out);
}
