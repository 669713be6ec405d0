/*
 * pn_layers.c - dense, GRU and the quantisation of activations. The only
 * per-path code called from here are the kernels of pn_kernels.h: the exact
 * int32 product and the float product whose per-output operations are the
 * same on every path. Every other float operation is in this file (compiled
 * once), in a fixed order per element: vector lanes and scalar tails perform
 * the same operations, so results depend neither on the path nor on the
 * position of an element.
 */
#include "pn_layers.h"

#include <assert.h>
#include <string.h>

#include "pn_activations.h"
#include "pn_vec.h"

uint8_t pn_quantize_act(float a) {
  a = a > -1.0f ? a : -1.0f; /* also maps NaN to -1 */
  a = a > 1.0f ? 1.0f : a;
  float v = 127.0f * a;
  int q = (int)(v >= 0.0f ? v + 0.5f : v - 0.5f); /* round half away from 0 */
  return (uint8_t)(q + 127);
}

/* The same operations as pn_quantize_act() lane by lane. */
void pn_quantize_acts(const float *x, int cols, uint8_t *xq) {
  const pn_v4 lo = pn_v4_set1(-1.0f), hi = pn_v4_set1(1.0f), k127 = pn_v4_set1(127.0f);
  const pn_v4 ph = pn_v4_set1(0.5f), mh = pn_v4_set1(-0.5f), zero = pn_v4_set1(0.0f);
  int c = 0;
  for (; c + 4 <= cols; c += 4) {
    pn_v4 a = pn_v4_load(x + c);
    a = pn_v4_select(a > lo, a, lo);
    a = pn_v4_select(a > hi, hi, a);
    pn_v4 v = k127 * a;
    pn_v4i q = __builtin_convertvector(v + pn_v4_select(v >= zero, ph, mh), pn_v4i);
    pn_v4u8 b = __builtin_convertvector(q + 127, pn_v4u8); /* 0..254: exact */
    memcpy(xq + c, &b, sizeof b);
  }
  for (; c < cols; c++) xq[c] = pn_quantize_act(x[c]);
}

void pn_linear(const PnKernels *k, const PnLinear *lin, const float *x,
               const uint8_t *xq, float *y, PnScratch *scratch) {
  int rows = lin->rows, cols = lin->cols;
  if (!lin->quantized) {
    k->gemv_f32(rows, cols, lin->wf, lin->bias, x, y);
    return;
  }
  assert(lin->cols_pad >= cols && lin->rows_pad >= rows);
  assert(lin->rows_pad <= scratch->acc_cap && (xq || lin->cols_pad <= scratch->xq_cap));
  if (!xq) {
    pn_quantize_acts(x, cols, scratch->xq);
    for (int c = cols; c < lin->cols_pad; c++) scratch->xq[c] = 127; /* q = 0 */
    xq = scratch->xq;
  }
  k->gemv_i8(lin->rows_pad, lin->cols_pad, lin->w8, lin->wsum, xq, scratch->acc);
  /* |acc| <= cols * 127 * 127 < 2^24 for cols <= 1040, so the conversion is
   * exact there; beyond it is still the same rounding on every path. */
  const float inv127 = 1.0f / 127.0f;
  const pn_v4 inv4 = pn_v4_set1(inv127);
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    pn_v4i a;
    memcpy(&a, scratch->acc + r, sizeof a);
    pn_v4 t = __builtin_convertvector(a, pn_v4) * inv4;
    pn_v4_store(y + r, pn_v4_load(lin->bias + r) + pn_v4_load(lin->scale + r) * t);
  }
  for (; r < rows; r++) y[r] = lin->bias[r] + lin->scale[r] * ((float)scratch->acc[r] * inv127);
}

void pn_gru(const PnKernels *k, const PnLinear *ih, const PnLinear *hh,
            const float *x, const uint8_t *xq, float *h, uint8_t *hq,
            float *gi, float *gh, PnScratch *scratch) {
  int n = hh->cols, i = 0;
  assert(ih->rows == 3 * n && hh->rows == 3 * n);
  pn_linear(k, ih, x, xq, gi, scratch);
  pn_linear(k, hh, h, hq, gh, scratch);
  const pn_v4 one = pn_v4_set1(1.0f);
  for (; i + 4 <= n; i += 4) {
    pn_v4 r = pn_sigmoid4(pn_v4_load(gi + i) + pn_v4_load(gh + i));
    pn_v4 z = pn_sigmoid4(pn_v4_load(gi + n + i) + pn_v4_load(gh + n + i));
    pn_v4 c = pn_tanh4(pn_v4_load(gi + 2 * n + i) + r * pn_v4_load(gh + 2 * n + i));
    pn_v4_store(h + i, (one - z) * c + z * pn_v4_load(h + i));
  }
  for (; i < n; i++) {
    float r = pn_sigmoid(gi[i] + gh[i]);
    float z = pn_sigmoid(gi[n + i] + gh[n + i]);
    float c = pn_tanh(gi[2 * n + i] + r * gh[2 * n + i]);
    h[i] = (1.0f - z) * c + z * h[i];
  }
  if (hq) pn_quantize_acts(h, n, hq);
}
