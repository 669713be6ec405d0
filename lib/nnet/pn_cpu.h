/*
 * pn_cpu.h - instruction-set detection and the map from public levels
 * (PERCEPNET_CPU_*) to kernel variants (PN_KISA_*).
 */
#ifndef PN_CPU_H
#define PN_CPU_H

/* Internal level beyond the public ones: AVX-512BW kernels without VNNI, for
 * testing that path on machines with VNNI. Accepted by percepnet_cpu_parse()
 * as "avx512bw" and by pn_net_set_cpu(). */
#define PN_CPU_AVX512BW 5
#define PN_CPU_LEVELS 6

typedef struct {
  int sse41;   /* SSSE3 + SSE4.1 */
  int avx2;    /* AVX2, and the OS saves YMM (XCR0 bits 1, 2) */
  int avx512;  /* AVX-512F + BW, and the OS saves ZMM + mask (XCR0 5..7) */
  int vnni;    /* AVX512_VNNI on top of avx512 */
  int neon;    /* aarch64 Advanced SIMD (always present there) */
} PnCpuFeatures;

void pn_cpu_features(PnCpuFeatures *f);

/* 1 when this machine can run level (a PERCEPNET_CPU_* or PN_CPU_AVX512BW). */
int pn_cpu_supported(int level);

/* Kernel variant (PN_KISA_*) for a supported level, -1 otherwise. */
int pn_cpu_kernel_isa(int level);

#endif
