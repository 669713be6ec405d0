/* postfilter.c - see postfilter.h. */
#include "postfilter.h"

#include <math.h>

void pn_postfilter(const PnBands *bt, const float *E, float *g) {
  double e0 = 0.0, e1 = 0.0;
  float G = 1.0f;
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    float gw = g[b] * sinf(0.5f * (float)PN_PI * g[b]);
    double w = (double)E[b] * bt->wsum[b];
    e0 += w * g[b] * g[b];
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
