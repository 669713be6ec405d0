/* comb_filter.c - see comb_filter.h. */
#include "comb_filter.h"

#include <assert.h>

int pn_comb_taps(int period) { return period <= PN_FRAME ? 5 : 3; }

float pn_comb_rho(int period) { return pn_comb_taps(period) == 5 ? 0.25f : 0.375f; }

float pn_comb_centre(int period) { return pn_comb_taps(period) == 5 ? 1.0f / 3 : 0.5f; }

float pn_comb_side_rho(int period) { return pn_comb_taps(period) == 5 ? 0.3125f : 0.5f; }

void pn_comb_filter(const float *x, int x_len, int start, int len, int period,
                    float *restrict out) {
  int n;
  const float *c = x + start;
  const int t = period;
  assert(period >= PN_PERIOD_MIN && period <= PN_PERIOD_MAX);
  if (pn_comb_taps(period) == 5) {
    const float w0 = 1.0f / 12, w1 = 3.0f / 12, w2 = 4.0f / 12;
    assert(start - 2 * t >= 0 && start + len - 1 + 2 * t < x_len);
    for (n = 0; n < len; n++)
      out[n] = w0 * (c[n - 2 * t] + c[n + 2 * t]) + w1 * (c[n - t] + c[n + t]) +
               w2 * c[n];
  } else {
    assert(start - t >= 0 && start + len - 1 + t < x_len);
    for (n = 0; n < len; n++) out[n] = 0.25f * (c[n - t] + c[n + t]) + 0.5f * c[n];
  }
}
