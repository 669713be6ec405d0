/* postfilter.c - see postfilter.h. */
#include "postfilter.h"

#include <math.h>

/* sin(pi x / 2) for x in [0, 1]: odd polynomial in x (Taylor terms to
 * x^11 of sin(pi x / 2)), absolute error < 1e-7 on [0, 1]. */
static float sin_half_pi(float x) {
  const float x2 = x * x;
  return x * (1.5707963f +
              x2 * (-0.64596409f +
                    x2 * (0.079692626f +
                          x2 * (-0.0046817541f + x2 * (0.00016044118f - x2 * 3.5988432e-6f)))));
}

void pn_postfilter(const PnBands *bt, const float *E, float *g) {
  double e0 = 0.0, e1 = 0.0;
  float G = 1.0f;
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    float x = g[b] < 0.0f ? 0.0f : (g[b] > 1.0f ? 1.0f : g[b]);
    float gw = x * sin_half_pi(x);
    double w = (double)E[b] * bt->wsum[b];
    e0 += w * x * x;
    e1 += w * gw * gw;
    g[b] = gw;
  }
  /* 1e-30: below any frame energy of interest (the floor is ~1e-8 here) */
  if (e1 > 1e-30 && e0 > 1e-30) {
    double R = e0 / e1;
    G = (float)sqrt((1.0 + PN_POSTFILTER_BETA) * R / (1.0 + PN_POSTFILTER_BETA * R * R));
  }
  for (b = 0; b < PN_BANDS; b++) {
    float v = G * g[b];
    g[b] = v < PN_POSTFILTER_MAX_GAIN ? v : PN_POSTFILTER_MAX_GAIN;
  }
}
