/* dump_rng.c - xoshiro256** seeded by splitmix64; see dump_rng.h. */
#include "dump_rng.h"

#include <assert.h>
#include <math.h>

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void rng_seed(DumpRng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

uint64_t rng_next(DumpRng *r) {
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double rng_uniform(DumpRng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

double rng_range(DumpRng *r, double lo, double hi) { return lo + (hi - lo) * rng_uniform(r); }

uint64_t rng_below(DumpRng *r, uint64_t n) {
  assert(n >= 1);
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t v;
  do v = rng_next(r);
  while (v >= limit);
  return v % n;
}

int rng_chance(DumpRng *r, double p) { return rng_uniform(r) < p; }

double rng_gauss(DumpRng *r) {
  double u1 = rng_uniform(r), u2 = rng_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
