/*
 * pn_vec.h - 4-lane float vectors (GCC/clang vector extensions: SSE2 on
 * x86-64, NEON on aarch64) for the engine's common float code. Every lane
 * runs the same IEEE-754 operations as the scalar code, so results do not
 * depend on whether an element went through a vector or the scalar tail.
 */
#ifndef PN_VEC_H
#define PN_VEC_H

#include <stdint.h>
#include <string.h>

typedef float pn_v4 __attribute__((vector_size(16)));
typedef int32_t pn_v4i __attribute__((vector_size(16)));
typedef uint8_t pn_v4u8 __attribute__((vector_size(4)));

static inline pn_v4 pn_v4_load(const float *p) {
  pn_v4 v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void pn_v4_store(float *p, pn_v4 v) { memcpy(p, &v, sizeof v); }

static inline pn_v4 pn_v4_set1(float x) { return (pn_v4){x, x, x, x}; }

/* mask ? a : b per lane (mask lanes all ones or zero) */
static inline pn_v4 pn_v4_select(pn_v4i mask, pn_v4 a, pn_v4 b) {
  pn_v4i ai, bi, r;
  memcpy(&ai, &a, sizeof ai);
  memcpy(&bi, &b, sizeof bi);
  r = (mask & ai) | (~mask & bi);
  pn_v4 out;
  memcpy(&out, &r, sizeof out);
  return out;
}

#endif
