/*
 * test_postfilter.c - contracts of lib/dsp/postfilter.h: 0 and 1 are left
 * alone, g in between is warped to G g sin(pi g / 2) with the stated global
 * compensation G, the order of the bands' gains is kept (monotonic), outputs
 * stay in [0, PN_POSTFILTER_MAX_GAIN] for any input, G never exceeds 1.9,
 * and the compensated frame energy lies between the warped and the original.
 */
#include <math.h>
#include <stdint.h>

#include "erb_bands.h"
#include "postfilter.h"
#include "testutil.h"

static uint32_t rng = 4242u;
static float urand(void) { /* LCG, uniform in [0, 1) */
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 16777216.0f;
}

/* sum_b g_b^2 W_b E_b */
static double frame_energy(const PnBands *bt, const float *E, const float *g) {
  double e = 0.0;
  for (int b = 0; b < PN_BANDS; b++) e += (double)g[b] * g[b] * bt->wsum[b] * E[b];
  return e;
}

int main(void) {
  PnBands bt;
  pn_bands_init(&bt);
  float E[PN_BANDS], g[PN_BANDS], in[PN_BANDS], gw[PN_BANDS];

  for (int b = 0; b < PN_BANDS; b++) {
    E[b] = 1e-3f * (1.0f + (float)b);
    g[b] = (b % 2) ? 1.0f : 0.0f;
  }
  pn_postfilter(&bt, E, g);
  int ok = 1;
  for (int b = 0; b < PN_BANDS; b++) ok &= fabsf(g[b] - ((b % 2) ? 1.0f : 0.0f)) < 1e-6f;
  CHECK(ok, "gains of 0 and 1 are left alone", "band 1 -> %g", (double)g[1]);

  /* a uniform gain: R = 1 / sin^2(pi g / 2) whatever E, G by the formula */
  double worst = 0.0;
  for (int i = 1; i < 20; i++) {
    float x = (float)i / 20.0f;
    for (int b = 0; b < PN_BANDS; b++) g[b] = x;
    pn_postfilter(&bt, E, g);
    double w = x * sin(PN_PI * x / 2.0), R = (double)x * x / (w * w);
    double G = sqrt((1.0 + PN_POSTFILTER_BETA) * R / (1.0 + PN_POSTFILTER_BETA * R * R));
    double want = fmin(G * w, PN_POSTFILTER_MAX_GAIN);
    for (int b = 0; b < PN_BANDS; b++)
      if (fabs(g[b] - want) > worst) worst = fabs(g[b] - want);
  }
  CHECK(worst < 2e-6, "uniform gain g becomes min(1, G g sin(pi g / 2)) (beta 0.02)",
        "max error %g", worst);

  /* random frames, gains partly out of range */
  int order = 1, range = 1, gmax = 1, energy = 1;
  for (int it = 0; it < 3000; it++) {
    for (int b = 0; b < PN_BANDS; b++) {
      E[b] = powf(10.0f, -10.0f * urand());
      in[b] = g[b] = 1.2f * urand() - 0.1f;
      float x = in[b] < 0.0f ? 0.0f : (in[b] > 1.0f ? 1.0f : in[b]);
      gw[b] = (float)(x * sin(PN_PI * x / 2.0));
    }
    float clamped[PN_BANDS];
    for (int b = 0; b < PN_BANDS; b++) clamped[b] = in[b] < 0.0f ? 0.0f : (in[b] > 1.0f ? 1.0f : in[b]);
    pn_postfilter(&bt, E, g);
    for (int b = 0; b < PN_BANDS; b++) {
      range &= g[b] >= 0.0f && g[b] <= PN_POSTFILTER_MAX_GAIN;
      for (int c = 0; c < PN_BANDS; c++)
        if (clamped[b] < clamped[c] && g[b] > g[c]) order = 0;
      if (gw[b] > 1e-3f && g[b] < PN_POSTFILTER_MAX_GAIN && g[b] > 1.9f * gw[b] * 1.0001f) gmax = 0;
    }
    double e0 = frame_energy(&bt, E, clamped), e1 = frame_energy(&bt, E, gw);
    double eo = frame_energy(&bt, E, g);
    /* between warped and original while R <= 1 / beta (where G >= 1) */
    if (e1 > 0.0 && e0 / e1 <= 1.0 / PN_POSTFILTER_BETA &&
        !(eo <= e0 * (1.0 + 1e-5) && eo >= e1 * (1.0 - 1e-5)))
      energy = 0;
  }
  CHECK(range, "outputs in [0, PN_POSTFILTER_MAX_GAIN] for gains in [-0.1, 1.1]", "out of range");
  CHECK(order, "monotonic: a band with a lower gain never ends above one with a higher gain",
        "order broken");
  CHECK(gmax, "global compensation G at most 1.9", "G beyond 1.9");
  CHECK(energy, "compensated frame energy between the warped and the original one", "outside");

  for (int b = 0; b < PN_BANDS; b++) {
    E[b] = 0.0f;
    g[b] = 0.5f;
  }
  pn_postfilter(&bt, E, g);
  CHECK(fabsf(g[0] - 0.5f * sinf((float)PN_PI / 4.0f)) < 1e-6f,
        "silent frame: warping only (G = 1)", "%g", (double)g[0]);
  return test_exit();
}
