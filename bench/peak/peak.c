// bench/peak: the machine's arithmetic peak, one core and all cores, from the product's own probe
// (Sources/CCPUProbe: 12 independent register chains of VFMADDPS zmm for float32 and VDPBF16PS zmm for
// bfloat16, one multiply and one add counted per multiply-accumulate, as a model's FLOP count counts them).
// All cores: one thread per core runs the probe at the same time and the rates add up.
// Prints one JSON line. Built and run by bench/peak/run.sh.
#include "ccpuprobe.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    double fp32, bf16;
    int status;
} Result;

static void *probe(void *arg) {
    Result *r = arg;
    r->status = cp_dot_rates(&r->fp32, &r->bf16, 2000000, 5);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1 || threads > 256) return 2;
    Result one;
    probe(&one);  // also the warm-up of clocks and the AVX-512 licence
    probe(&one);
    if (one.status != 0) {
        fprintf(stderr, "bench/peak: this CPU lacks AVX-512F or AVX512_BF16\n");
        return 1;
    }
    pthread_t ids[256];
    Result all[256];
    for (int i = 0; i < threads; ++i) pthread_create(&ids[i], NULL, probe, &all[i]);
    double fp32 = 0, bf16 = 0;
    for (int i = 0; i < threads; ++i) {
        pthread_join(ids[i], NULL);
        fp32 += all[i].fp32;
        bf16 += all[i].bf16;
    }
    printf("{\"threads\": %d, \"fp32_gflops_1\": %.1f, \"bf16_gflops_1\": %.1f, \"fp32_gflops\": %.1f, "
           "\"bf16_gflops\": %.1f}\n", threads, one.fp32, one.bf16, fp32, bf16);
    return 0;
}
