// ccpuprobe.h: the rate at which one core runs the multiply-accumulate instructions bfloat16 and float32
// convolutions are built on, measured with independent register chains (no memory traffic).
//
// Conventions: functions are cp_<noun>_<verb>, return 0 on success and 1 when the CPU cannot run the
// instructions (checked with the compiler's __builtin_cpu_supports, so no call can fault), and write results
// through out-pointers. No other state.
#ifndef CCPUPROBE_H
#define CCPUPROBE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One core's GFLOP/s in two kernels of 12 independent register chains each, `iterations` rounds per run:
///   fp32: VFMADDPS zmm (16 float32 multiply-adds, 32 FLOP per instruction; AVX-512F);
///   bf16: VDPBF16PS zmm (32 bfloat16 products summed into 16 float32 lanes, 64 FLOP; AVX512_BF16), what
///         oneDNN's avx512_core_bf16 convolutions run on.
/// The two alternate for `trials` runs each and the best of each is kept, so a run the scheduler interrupted
/// (another busy thread, a clock still rising) does not decide. Fails on a CPU without both instruction sets.
int cp_dot_rates(double *fp32_gflops, double *bf16_gflops, int64_t iterations, int trials);

#ifdef __cplusplus
}
#endif

#endif
