/* comb_filter.c - see comb_filter.h. */
#include "comb_filter.h"

#include <assert.h>

#define BLOCK 8 /* samples per vectorised step; len must be a multiple */

int pn_comb_taps(int period) { return period <= PN_FRAME ? 5 : 3; }

float pn_comb_rho(int period) { return pn_comb_taps(period) == 5 ? 0.25f : 0.375f; }

float pn_comb_centre(int period) { return pn_comb_taps(period) == 5 ? 1.0f / 3 : 0.5f; }

float pn_comb_side_rho(int period) { return pn_comb_taps(period) == 5 ? 0.3125f : 0.5f; }

/* Blocks of 8 outputs with a fixed inner count: vectorised at the default
 * flags. TAP5 / TAP3: one output sample of each form. */
#define TAP5(n) (w0 * (c[(n) - 2 * t] + c[(n) + 2 * t]) + w1 * (c[(n) - t] + c[(n) + t]) + w2 * c[n])
#define TAP3(n) (0.25f * (c[(n) - t] + c[(n) + t]) + 0.5f * c[n])

void pn_comb_filter(const float *x, int x_len, int start, int len, int period,
                    const float *window, float *restrict out) {
  const float w0 = 1.0f / 12, w1 = 3.0f / 12, w2 = 4.0f / 12;
  const float *restrict c = x + start;
  const float *restrict win = window;
  const int t = period;
  int n, q;
  assert(period >= PN_PERIOD_MIN && period <= PN_PERIOD_MAX);
  assert(len % BLOCK == 0);
  if (pn_comb_taps(period) == 5) {
    assert(start - 2 * t >= 0 && start + len - 1 + 2 * t < x_len);
    if (win)
      for (n = 0; n < len; n += BLOCK)
        for (q = 0; q < BLOCK; q++) out[n + q] = win[n + q] * TAP5(n + q);
    else
      for (n = 0; n < len; n += BLOCK)
        for (q = 0; q < BLOCK; q++) out[n + q] = TAP5(n + q);
  } else {
    assert(start - t >= 0 && start + len - 1 + t < x_len);
    if (win)
      for (n = 0; n < len; n += BLOCK)
        for (q = 0; q < BLOCK; q++) out[n + q] = win[n + q] * TAP3(n + q);
    else
      for (n = 0; n < len; n += BLOCK)
        for (q = 0; q < BLOCK; q++) out[n + q] = TAP3(n + q);
  }
}
