/*
 * pn_layers.c - dense, GRU and the quantisation of activations. The only
 * per-path code called from here is the exact int32 kernel; every float
 * operation is in this file, in a fixed order.
 */
#include "pn_layers.h"

#include <assert.h>

#include "pn_activations.h"

uint8_t pn_quantize_act(float a) {
  if (!(a > -1.0f)) a = -1.0f; /* also maps NaN to -1 */
  if (a > 1.0f) a = 1.0f;
  float v = 127.0f * a;
  int q = (int)(v >= 0.0f ? v + 0.5f : v - 0.5f); /* round half away from 0 */
  return (uint8_t)(q + 127);
}

void pn_linear(const PnKernels *k, const PnLinear *lin, const float *x,
               float *y, PnScratch *scratch) {
  int rows = lin->rows, cols = lin->cols;
  if (lin->quantized) {
    assert(lin->cols_pad >= cols && lin->rows_pad >= rows);
    for (int c = 0; c < cols; c++) scratch->xq[c] = pn_quantize_act(x[c]);
    for (int c = cols; c < lin->cols_pad; c++) scratch->xq[c] = 127; /* q = 0 */
    k->gemv_i8(lin->rows_pad, lin->cols_pad, lin->w8, lin->wsum, scratch->xq,
               scratch->acc);
    /* |acc| < 2^24 for cols <= 1040 (exact in float); in general the
     * conversion is still deterministic. */
    for (int r = 0; r < rows; r++)
      y[r] = lin->bias[r] + lin->scale[r] * ((float)scratch->acc[r] * (1.0f / 127.0f));
  } else {
    for (int r = 0; r < rows; r++) y[r] = lin->bias[r];
    for (int c = 0; c < cols; c++) {
      const float *w = lin->wf + (size_t)c * (size_t)rows;
      float xc = x[c];
      for (int r = 0; r < rows; r++) y[r] += w[r] * xc;
    }
  }
}

void pn_gru(const PnKernels *k, const PnLinear *ih, const PnLinear *hh,
            const float *x, float *h, float *gi, float *gh, PnScratch *scratch) {
  int n = hh->cols;
  assert(ih->rows == 3 * n && hh->rows == 3 * n);
  pn_linear(k, ih, x, gi, scratch);
  pn_linear(k, hh, h, gh, scratch);
  for (int i = 0; i < n; i++) {
    float r = pn_sigmoid(gi[i] + gh[i]);
    float z = pn_sigmoid(gi[n + i] + gh[n + i]);
    float c = pn_tanh(gi[2 * n + i] + r * gh[2 * n + i]);
    h[i] = (1.0f - z) * c + z * h[i];
  }
}
