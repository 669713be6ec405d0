/*
 * pn_activations.c - array forms of the activations (pn_activations.h):
 * 4 lanes at a time, the scalar form for the tail; both give the same bits.
 */
#include "pn_activations.h"

void pn_tanh_vec(float *y, const float *x, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) pn_v4_store(y + i, pn_tanh4(pn_v4_load(x + i)));
  for (; i < n; i++) y[i] = pn_tanh(x[i]);
}

void pn_sigmoid_vec(float *y, const float *x, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) pn_v4_store(y + i, pn_sigmoid4(pn_v4_load(x + i)));
  for (; i < n; i++) y[i] = pn_sigmoid(x[i]);
}
