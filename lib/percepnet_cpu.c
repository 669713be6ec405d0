/*
 * percepnet_cpu.c - the public instruction-set API (percepnet.h) on top of
 * the engine's levels and their one table of names (lib/nnet/pn_cpu.h).
 */
#include "percepnet.h"

#include "pn_cpu.h"

/* The public levels are the engine's (pn_cpu.h); PN_CPU_AVX512BW is an
 * engine level beyond them that percepnet_cpu_parse() accepts as "avx512bw"
 * (for tests of that path). */
_Static_assert((int)PERCEPNET_CPU_C == (int)PN_CPU_C, "level");
_Static_assert((int)PERCEPNET_CPU_SSE41 == (int)PN_CPU_SSE41, "level");
_Static_assert((int)PERCEPNET_CPU_AVX2 == (int)PN_CPU_AVX2, "level");
_Static_assert((int)PERCEPNET_CPU_AVX512 == (int)PN_CPU_AVX512, "level");
_Static_assert((int)PERCEPNET_CPU_NEON == (int)PN_CPU_NEON, "level");

int percepnet_cpu_detect(void) { return pn_cpu_detect(); }

int percepnet_cpu_parse(const char *name, int *level) { return pn_cpu_parse(name, level); }

const char *percepnet_cpu_name(int level) { return pn_cpu_name(level); }
