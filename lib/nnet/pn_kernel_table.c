/*
 * pn_kernel_table.c - the constant table of kernel variants built for this
 * architecture (the set lib/nnet/nnet.mk compiles).
 */
#include <stddef.h>

#include "pn_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
static const PnKernels table[PN_KISA_COUNT] = {
    [PN_KISA_C] = {pn_gemv_i8_c, pn_gemv_f32_c},
    [PN_KISA_SSE41] = {pn_gemv_i8_sse41, pn_gemv_f32_sse41},
    [PN_KISA_AVX2] = {pn_gemv_i8_avx2, pn_gemv_f32_avx2},
    [PN_KISA_AVX512BW] = {pn_gemv_i8_avx512bw, pn_gemv_f32_avx512bw},
    [PN_KISA_AVX512VNNI] = {pn_gemv_i8_avx512vnni, pn_gemv_f32_avx512vnni},
};
#elif defined(__aarch64__)
static const PnKernels table[PN_KISA_COUNT] = {
    [PN_KISA_C] = {pn_gemv_i8_c, pn_gemv_f32_c},
    [PN_KISA_NEON] = {pn_gemv_i8_neon, pn_gemv_f32_neon},
};
#else
static const PnKernels table[PN_KISA_COUNT] = {
    [PN_KISA_C] = {pn_gemv_i8_c, pn_gemv_f32_c},
};
#endif

const PnKernels *pn_kernels_get(int isa) {
  if (isa < 0 || isa >= PN_KISA_COUNT || !table[isa].gemv_i8) return NULL;
  return &table[isa];
}
