/*
 * test_mix.c - contracts of lib/dsp/mix.h: with no comb and unit gains the
 * spectrum passes unchanged; band gains scale it; the mix of the noisy and
 * the comb spectrum is renormalised to the noisy band energy (exactly where
 * the strengths and the comb's ratio are flat), at most by PN_MIX_MAX_RENORM;
 * at each band's peak bin the output is g_b s_b ((1 - r_b) Y + r_b P).
 */
#include <math.h>
#include <stdint.h>

#include "erb_bands.h"
#include "mix.h"
#include "testutil.h"

static uint32_t rng = 31337u;
static float srand1(void) { /* LCG, uniform in [-1, 1) */
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 8388608.0f - 1.0f;
}

static PnBands bt;
static kiss_fft_cpx Y[PN_FREQ], P[PN_FREQ], out[PN_FREQ];
static float Ey[PN_BANDS], Ep[PN_BANDS], C[PN_BANDS], r[PN_BANDS], g[PN_BANDS];

static void random_spectrum(kiss_fft_cpx *X) {
  for (int k = 0; k < PN_FREQ; k++) {
    X[k].r = srand1();
    X[k].i = k == 0 || k == PN_FREQ - 1 ? 0.0f : srand1();
  }
}

/* P = alpha Y, band statistics of Y and P, then the mix */
static void mix_scaled(float alpha, float rv, float gv) {
  for (int k = 0; k < PN_FREQ; k++) {
    P[k].r = alpha * Y[k].r;
    P[k].i = alpha * Y[k].i;
  }
  pn_band_energy(&bt, Y, Ey);
  pn_band_energy_xcorr(&bt, Y, P, Ep, C);
  for (int b = 0; b < PN_BANDS; b++) {
    r[b] = rv;
    g[b] = gv;
  }
  pn_mix_apply(&bt, Y, P, Ey, Ep, C, r, g, out);
}

static double max_rel_diff(const kiss_fft_cpx *a, const kiss_fft_cpx *b, float scale) {
  double worst = 0.0;
  for (int k = 0; k < PN_FREQ; k++) {
    double d = hypot(a[k].r - scale * b[k].r, a[k].i - scale * b[k].i);
    double m = hypot(b[k].r, b[k].i) * fabs(scale) + 1e-9;
    if (d / m > worst) worst = d / m;
  }
  return worst;
}

int main(void) {
  pn_bands_init(&bt);
  random_spectrum(Y);

  mix_scaled(0.3f, 0.0f, 1.0f);
  int same = 1;
  for (int k = 0; k < PN_FREQ; k++) same &= out[k].r == Y[k].r && out[k].i == Y[k].i;
  CHECK(same, "no comb (r = 0), unit gains: output = input bit for bit", "differs");

  mix_scaled(0.3f, 0.0f, 0.25f);
  double d = max_rel_diff(out, Y, 0.25f);
  CHECK(d < 1e-6, "no comb, gain 0.25 in every band: output = 0.25 input", "rel. error %g", d);

  /* comb output a scaled copy: renormalisation restores the band energy */
  const float alphas[] = {0.5f, 0.8f, 1.5f}, rs[] = {0.3f, 0.7f, 1.0f};
  double worst = 0.0;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      mix_scaled(alphas[i], rs[j], 1.0f);
      float Eo[PN_BANDS];
      pn_band_energy(&bt, out, Eo);
      for (int b = 0; b < PN_BANDS; b++)
        if (fabs(Eo[b] / Ey[b] - 1.0) > worst) worst = fabs(Eo[b] / Ey[b] - 1.0);
    }
  CHECK(worst < 1e-4, "renormalisation: flat r and P = alpha Y keep every band energy",
        "max rel. error %g", worst);

  mix_scaled(0.01f, 1.0f, 1.0f); /* needs x100, capped */
  d = max_rel_diff(out, Y, 0.01f * PN_MIX_MAX_RENORM);
  CHECK(d < 1e-5, "renormalisation capped at PN_MIX_MAX_RENORM (+12 dB)", "rel. error %g", d);

  /* random strengths, gains and comb spectrum: at band b's peak bin the
   * output is g_b min(4, s_b) ((1 - r_b) Y + r_b P) */
  random_spectrum(P);
  pn_band_energy(&bt, Y, Ey);
  pn_band_energy_xcorr(&bt, Y, P, Ep, C);
  for (int b = 0; b < PN_BANDS; b++) {
    r[b] = 0.5f + 0.5f * srand1();
    g[b] = 0.5f + 0.5f * srand1();
  }
  pn_mix_apply(&bt, Y, P, Ey, Ep, C, r, g, out);
  worst = 0.0;
  for (int b = 0; b < PN_BANDS; b++) {
    double a = r[b], c = 1.0 - a;
    double ez = c * c * Ey[b] + a * a * Ep[b] + 2.0 * a * c * C[b];
    double s = fmin(sqrt(Ey[b] / fmax(ez, 0.0)), PN_MIX_MAX_RENORM);
    int k = pn_band_edge(b);
    double wr = g[b] * s * (c * Y[k].r + a * P[k].r), wi = g[b] * s * (c * Y[k].i + a * P[k].i);
    double e = hypot(out[k].r - wr, out[k].i - wi) / (hypot(wr, wi) + 1e-9);
    if (e > worst) worst = e;
  }
  CHECK(worst < 1e-4, "at each band's peak bin: g_b s_b ((1 - r_b) Y + r_b P)",
        "max rel. error %g", worst);
  return test_exit();
}
