/*
 * pn_activations.h - tanh and sigmoid for every kernel path: plain float
 * arithmetic (no libm), compiled once with the common code, scalar and
 * 4-lane forms doing the same operations lane by lane, so every path and
 * every element get the same bits.
 *
 * tanh(x) ~= x P(x^2) / Q(x^2) for |x| <= 9 (clamped there; 1 - tanh(9) =
 * 3.0e-8), P cubic, Q cubic with Q(0) = 1. Coefficients fitted by iteratively
 * reweighted least squares towards minimum maximum error on 20001 points of
 * [0, 9]; measured in float32 over 2,000,001 points of [-10, 10] against
 * double tanh: max |error| 5.5e-6 (test/nnet/test_kernels.c checks it). The
 * result is clamped to [-1, 1] and is exactly odd. NaN input gives -1.
 * sigmoid(x) = 0.5 + 0.5 tanh(x / 2): max |error| 2.8e-6, in [0, 1].
 */
#ifndef PN_ACTIVATIONS_H
#define PN_ACTIVATIONS_H

#include "pn_vec.h"

#define PN_TANH_P0 9.999764562e-01f
#define PN_TANH_P1 1.202485114e-01f
#define PN_TANH_P2 2.044424880e-03f
#define PN_TANH_P3 2.955747050e-06f
#define PN_TANH_Q1 4.535114467e-01f
#define PN_TANH_Q2 1.994448341e-02f
#define PN_TANH_Q3 1.184102366e-04f
#define PN_TANH_CLAMP 9.0f

static inline float pn_tanh(float x) {
  x = x > -PN_TANH_CLAMP ? x : -PN_TANH_CLAMP; /* NaN -> -9 */
  x = x > PN_TANH_CLAMP ? PN_TANH_CLAMP : x;
  float s = x * x;
  float num = x * (PN_TANH_P0 + s * (PN_TANH_P1 + s * (PN_TANH_P2 + s * PN_TANH_P3)));
  float den = 1.0f + s * (PN_TANH_Q1 + s * (PN_TANH_Q2 + s * PN_TANH_Q3));
  float y = num / den;
  y = y > 1.0f ? 1.0f : y;
  return y < -1.0f ? -1.0f : y;
}

static inline float pn_sigmoid(float x) { return 0.5f + 0.5f * pn_tanh(0.5f * x); }

static inline pn_v4 pn_tanh4(pn_v4 x) {
  const pn_v4 lo = pn_v4_set1(-PN_TANH_CLAMP), hi = pn_v4_set1(PN_TANH_CLAMP);
  const pn_v4 one = pn_v4_set1(1.0f), mone = pn_v4_set1(-1.0f);
  x = pn_v4_select(x > lo, x, lo);
  x = pn_v4_select(x > hi, hi, x);
  pn_v4 s = x * x;
  pn_v4 num = x * (pn_v4_set1(PN_TANH_P0) +
                   s * (pn_v4_set1(PN_TANH_P1) + s * (pn_v4_set1(PN_TANH_P2) + s * pn_v4_set1(PN_TANH_P3))));
  pn_v4 den = one + s * (pn_v4_set1(PN_TANH_Q1) + s * (pn_v4_set1(PN_TANH_Q2) + s * pn_v4_set1(PN_TANH_Q3)));
  pn_v4 y = num / den;
  y = pn_v4_select(y > one, one, y);
  return pn_v4_select(y < mone, mone, y);
}

static inline pn_v4 pn_sigmoid4(pn_v4 x) {
  const pn_v4 half = pn_v4_set1(0.5f);
  return half + half * pn_tanh4(half * x);
}

void pn_tanh_vec(float *y, const float *x, int n);    /* y may equal x */
void pn_sigmoid_vec(float *y, const float *x, int n); /* y may equal x */

#endif
