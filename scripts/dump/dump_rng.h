/*
 * dump_rng.h - the dump tool's explicit PRNG: xoshiro256** (Blackman and
 * Vigna), seeded through splitmix64, so one 64-bit seed reproduces a whole
 * dump on any machine. Not for cryptography.
 */
#ifndef DUMP_RNG_H
#define DUMP_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t s[4];
} DumpRng;

void rng_seed(DumpRng *r, uint64_t seed);
uint64_t rng_next(DumpRng *r);
/* Uniform in [0, 1), 53-bit resolution. */
double rng_uniform(DumpRng *r);
/* Uniform in [lo, hi). */
double rng_range(DumpRng *r, double lo, double hi);
/* Uniform integer in [0, n), n >= 1 (rejection sampling: no modulo bias). */
uint64_t rng_below(DumpRng *r, uint64_t n);
/* 1 with probability p. */
int rng_chance(DumpRng *r, double p);
/* Standard normal (Box-Muller, one value per call). */
double rng_gauss(DumpRng *r);

#endif
