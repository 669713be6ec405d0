/*
 * pn_cpu.h - the engine's kernel paths ("levels"), their names, and which of
 * them this machine can run (cpuid + XGETBV on x86). A level selects a kernel
 * variant (PN_KISA_*, pn_kernels.h).
 */
#ifndef PN_CPU_H
#define PN_CPU_H

/* Levels, from the reference to the widest. PN_CPU_AVX512 runs the VNNI
 * kernels where the CPU has them; PN_CPU_AVX512BW forces the AVX-512BW
 * kernels without VNNI (to test that path on machines with VNNI). */
enum {
  PN_CPU_C = 0,
  PN_CPU_SSE41 = 1,
  PN_CPU_AVX2 = 2,
  PN_CPU_AVX512 = 3,
  PN_CPU_NEON = 4,
  PN_CPU_AVX512BW = 5,
  PN_CPU_LEVELS = 6
};

typedef struct {
  int sse41;   /* SSSE3 + SSE4.1 */
  int avx2;    /* AVX2, and the OS saves YMM (XCR0 bits 1, 2) */
  int avx512;  /* AVX-512F + BW, and the OS saves ZMM + mask (XCR0 5..7) */
  int vnni;    /* AVX512_VNNI on top of avx512 */
  int neon;    /* aarch64 Advanced SIMD (always present there) */
} PnCpuFeatures;

void pn_cpu_features(PnCpuFeatures *f);

/* 1 when this machine can run level (a PN_CPU_* value). */
int pn_cpu_supported(int level);

/* Kernel variant (PN_KISA_*) for a supported level, -1 otherwise. */
int pn_cpu_kernel_isa(int level);

/* The widest level this machine supports (never PN_CPU_AVX512BW). */
int pn_cpu_detect(void);

/* Parses a level name ("c", "sse4.1", "avx2", "avx512", "avx512-vnni",
 * "avx512bw", "neon") into *level: PN_OK, PN_ERR_BAD_ARG for an unknown
 * name or NULL, PN_ERR_CPU for a level (or VNNI) this machine lacks. */
int pn_cpu_parse(const char *name, int *level);

/* Name of kernel variant isa (PN_KISA_*): the name of the level that forces
 * it ("avx512bw", "avx512-vnni", ...), "unknown" for another value. */
const char *pn_cpu_kernel_name(int isa);

/* Name of a level as this machine runs it ("avx512-vnni" for PN_CPU_AVX512
 * on a CPU with VNNI), "unknown" for a value that is not a level. */
const char *pn_cpu_name(int level);

#endif
