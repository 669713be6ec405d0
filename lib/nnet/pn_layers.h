/*
 * pn_layers.h - the layers on top of the kernels (compiled once: the float
 * part of every layer is the same code on every path).
 */
#ifndef PN_LAYERS_H
#define PN_LAYERS_H

#include <stdint.h>

#include "pn_kernels.h"
#include "pn_model.h"

/* Scratch a layer call needs: xq holds >= cols_pad codes, acc >= rows_pad
 * sums (checked by assertions against the capacities). */
typedef struct {
  uint8_t *xq;
  int32_t *acc;
  int xq_cap;  /* codes xq can hold */
  int acc_cap; /* sums acc can hold */
} PnScratch;

/* Activation code of a in [-1, 1] (clamped): 127 + round_half_away(127 a),
 * in 0..254 (pn_kernels.h). */
uint8_t pn_quantize_act(float a);

/* q[i] = pn_quantize_act(x[i]) for i < n. */
void pn_quantize_acts(const float *x, int n, uint8_t *q);

/* y[r] = bias[r] + sum_c W[r][c] x[c] for r < lin->rows. Quantised layers:
 * x must lie in [-1, 1]; its codes are xq (cols_pad readable bytes; codes
 * past cols are ignored: their weights are 0) or, when xq is NULL, computed
 * into the scratch; the kernel gives the exact int32 sum and
 * y = bias + scale * (sum / 127). Float layers use x (input-major product).
 * x and y must not overlap. */
void pn_linear(const PnKernels *k, const PnLinear *lin, const float *x,
               const uint8_t *xq, float *y, PnScratch *scratch);

/* One GRU step, PyTorch "reset after" form, gate order r, z, n:
 *   r = sig(Wir x + bir + Whr h + bhr), z = sig(Wiz x + biz + Whz h + bhz)
 *   n = tanh(Win x + bin + r (Whn h + bhn)),  h <- (1 - z) n + z h
 * gi, gh: scratch of 3 * state size floats each; x must not overlap h.
 * xq: codes of x or NULL (see pn_linear); hq: codes of h, updated to the new
 * state's codes, or NULL. */
void pn_gru(const PnKernels *k, const PnLinear *ih, const PnLinear *hh,
            const float *x, const uint8_t *xq, float *h, uint8_t *hq,
            float *gi, float *gh, PnScratch *scratch);

#endif
