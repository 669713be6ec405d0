/*
 * pn_cpu.c - which kernel paths this machine can run: cpuid feature bits
 * plus, for AVX and AVX-512, the XGETBV check that the operating system
 * saves the wider registers on a context switch (OSXSAVE set and the XCR0
 * state bits enabled); a CPU bit alone is not enough.
 */
#include <string.h>

#include "pn_cpu.h"
#include "pn_kernels.h"
#include "pn_status.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (unsigned long long)hi << 32 | lo;
}

void pn_cpu_features(PnCpuFeatures *f) {
  unsigned a, b, c, d;
  memset(f, 0, sizeof *f);
  if (!__get_cpuid(1, &a, &b, &c, &d)) return;
  int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
  int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  f->sse41 = ssse3 && sse41;
  unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
  int ymm_os = (xcr0 & 0x6) == 0x6;    /* SSE + AVX state */
  int zmm_os = (xcr0 & 0xe6) == 0xe6;  /* + opmask, ZMM_Hi256, Hi16_ZMM */
  unsigned a7, b7, c7, d7;
  if (!__get_cpuid_count(7, 0, &a7, &b7, &c7, &d7)) b7 = c7 = 0; /* leaf 7 absent */
  int avx2 = (b7 >> 5) & 1, avx512f = (b7 >> 16) & 1, avx512bw = (b7 >> 30) & 1;
  int vnni = (c7 >> 11) & 1;
  f->avx2 = f->sse41 && avx && avx2 && ymm_os;
  f->avx512 = f->avx2 && avx512f && avx512bw && zmm_os;
  f->vnni = f->avx512 && vnni;
}
#else
void pn_cpu_features(PnCpuFeatures *f) {
  memset(f, 0, sizeof *f);
#if defined(__aarch64__)
  f->neon = 1;
#endif
}
#endif

/* The one table of level names, with the kernel variant each selects. The
 * first entry naming a variant names the variant (pn_cpu_kernel_name), so
 * "avx512bw" precedes "avx512"; "avx512-vnni" is PN_CPU_AVX512 on a CPU with
 * VNNI only. */
static const struct {
  const char *name;
  int level;
  int isa;
} level_names[] = {
    {"c", PN_CPU_C, PN_KISA_C},
    {"sse4.1", PN_CPU_SSE41, PN_KISA_SSE41},
    {"avx2", PN_CPU_AVX2, PN_KISA_AVX2},
    {"avx512bw", PN_CPU_AVX512BW, PN_KISA_AVX512BW},
    {"avx512", PN_CPU_AVX512, PN_KISA_AVX512BW},
    {"avx512-vnni", PN_CPU_AVX512, PN_KISA_AVX512VNNI},
    {"neon", PN_CPU_NEON, PN_KISA_NEON}};
#define N_LEVEL_NAMES (sizeof level_names / sizeof level_names[0])

int pn_cpu_supported(int level) {
  PnCpuFeatures f;
  pn_cpu_features(&f);
  switch (level) {
  case PN_CPU_C: return 1;
  case PN_CPU_SSE41: return f.sse41;
  case PN_CPU_AVX2: return f.avx2;
  case PN_CPU_AVX512: return f.avx512;
  case PN_CPU_AVX512BW: return f.avx512;
  case PN_CPU_NEON: return f.neon;
  default: return 0;
  }
}

int pn_cpu_kernel_isa(int level) {
  PnCpuFeatures f;
  pn_cpu_features(&f);
  if (!pn_cpu_supported(level)) return -1;
  if (level == PN_CPU_AVX512) return f.vnni ? PN_KISA_AVX512VNNI : PN_KISA_AVX512BW;
  for (size_t i = 0; i < N_LEVEL_NAMES; i++)
    if (level_names[i].level == level) return level_names[i].isa;
  return -1;
}

int pn_cpu_detect(void) {
  PnCpuFeatures f;
  pn_cpu_features(&f);
  if (f.neon) return PN_CPU_NEON;
  if (f.avx512) return PN_CPU_AVX512;
  if (f.avx2) return PN_CPU_AVX2;
  if (f.sse41) return PN_CPU_SSE41;
  return PN_CPU_C;
}

int pn_cpu_parse(const char *name, int *level) {
  if (!name || !level) return PN_ERR_BAD_ARG;
  for (size_t i = 0; i < N_LEVEL_NAMES; i++) {
    if (strcmp(name, level_names[i].name) != 0) continue;
    PnCpuFeatures f;
    pn_cpu_features(&f);
    if (!pn_cpu_supported(level_names[i].level) ||
        (level_names[i].isa == PN_KISA_AVX512VNNI && !f.vnni))
      return PN_ERR_CPU;
    *level = level_names[i].level;
    return PN_OK;
  }
  return PN_ERR_BAD_ARG;
}

const char *pn_cpu_name(int level) {
  int isa = pn_cpu_kernel_isa(level);
  for (size_t i = 0; i < N_LEVEL_NAMES; i++)
    if (level_names[i].level == level && (isa < 0 || level_names[i].isa == isa))
      return level_names[i].name;
  return "unknown";
}

const char *pn_cpu_kernel_name(int isa) {
  for (size_t i = 0; i < N_LEVEL_NAMES; i++)
    if (level_names[i].isa == isa) return level_names[i].name;
  return "unknown";
}
