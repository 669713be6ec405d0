/*
 * test_stft.c - STFT analysis/synthesis reconstruction, window power
 * complementarity, band partition of unity and band power normalisation.
 */
#include "erb_bands.h"
#include "stft.h"
#include "synth.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 300
#define N (FRAMES * PN_FRAME)

int main(void) {
  PnStft s;
  PnBands bt;
  float *x = calloc(N, sizeof(float)), *y = calloc(N + PN_FRAME, sizeof(float));
  float buf[PN_WINDOW] = {0}, ola[PN_FRAME] = {0};
  kiss_fft_cpx X[PN_FREQ];
  SynthRng rng = {42};
  double err = 0.0, pow_x = 0.0, worst_pc = 0.0, worst_pu = 0.0;
  int t, n, b, k;
  if (!x || !y || pn_stft_init(&s) != 0) return 1;
  pn_bands_init(&bt);

  for (n = 0; n < PN_FRAME; n++) {
    double v = (double)s.window[n] * s.window[n] + (double)s.window[n + PN_FRAME] * s.window[n + PN_FRAME];
    if (fabs(v - 1.0) > worst_pc) worst_pc = fabs(v - 1.0);
  }
  CHECK(worst_pc < 1e-6, "window_power_complementary", "max |w^2 + w'^2 - 1| = %g", worst_pc);

  /* white noise plus a loud sine: identity round trip, delay 480 */
  for (n = 0; n < N; n++)
    x[n] = (float)(0.1 * synth_gauss(&rng) + 0.5 * sin(0.0123 * n));
  for (t = 0; t < FRAMES; t++) {
    memmove(buf, buf + PN_FRAME, PN_FRAME * sizeof(float));
    memcpy(buf + PN_FRAME, x + t * PN_FRAME, PN_FRAME * sizeof(float));
    pn_stft_analyse(&s, buf, X);
    pn_stft_synthesise(&s, X, ola, y + t * PN_FRAME, 2.0f);
  }
  for (n = 0; n < N - PN_FRAME; n++) {
    double d = (double)y[n + PN_FRAME] - x[n];
    err += d * d;
    pow_x += (double)x[n] * x[n];
  }
  err = 10.0 * log10(err / pow_x);
  CHECK(err < -100.0, "stft_reconstruction", "error %.1f dB", err);

  {
    /* the analysis equals a direct DFT of the windowed frame */
    double worst = 0.0, scale = 0.0;
    for (n = 0; n < PN_WINDOW; n++) buf[n] = (float)synth_gauss(&rng);
    pn_stft_analyse(&s, buf, X);
    for (k = 0; k < PN_FREQ; k += 7) {
      double re = 0.0, im = 0.0, d;
      for (n = 0; n < PN_WINDOW; n++) {
        double v = (double)buf[n] * s.window[n], ph = -2.0 * PN_PI * k * n / PN_WINDOW;
        re += v * cos(ph);
        im += v * sin(ph);
      }
      d = hypot(re - X[k].r, im - X[k].i);
      if (d > worst) worst = d;
      if (hypot(re, im) > scale) scale = hypot(re, im);
    }
    CHECK(worst < 1e-4 * scale, "stft_matches_dft", "max error %g of peak %g", worst, scale);
  }

  for (k = 0; k < PN_FREQ; k++) {
    double sum = 0.0;
    for (b = 0; b < PN_BANDS; b++) sum += pn_band_weight(&bt, b, k);
    if (fabs(sum - 1.0) > worst_pu) worst_pu = fabs(sum - 1.0);
  }
  CHECK(worst_pu < 1e-6, "bands_partition_of_unity", "max |sum_b w_b(k) - 1| = %g", worst_pu);

  {
    /* every band peaks (weight 1) at its edge bin and the edges grow */
    int bad = 0;
    for (b = 0; b < PN_BANDS; b++) {
      if (fabsf(pn_band_weight(&bt, b, pn_band_edge(b)) - 1.0f) > 1e-6f) bad++;
      if (b > 0 && pn_band_edge(b) <= pn_band_edge(b - 1)) bad++;
    }
    CHECK(bad == 0 && pn_band_edge(PN_BANDS - 1) == 400, "bands_triangles", "%d bad bands", bad);
  }

  {
    /* interpolation of constant band values is that constant at every bin */
    float v[PN_BANDS], out[PN_FREQ];
    double worst = 0.0;
    for (b = 0; b < PN_BANDS; b++) v[b] = 0.7f;
    pn_band_interp(&bt, v, out);
    for (k = 0; k < PN_FREQ; k++)
      if (fabs(out[k] - 0.7) > worst) worst = fabs(out[k] - 0.7);
    CHECK(worst < 1e-6, "bands_interp_constant", "max error %g", worst);
  }

  {
    /* white noise of variance s^2 reads s^2 in every band (within 1.5 dB
     * averaged over 200 frames; the narrowest bands hold ~2 bins) */
    double acc[PN_BANDS] = {0}, worst = 0.0;
    float E[PN_BANDS];
    const double var = 1e-4;
    for (t = 0; t < 200; t++) {
      for (n = 0; n < PN_WINDOW; n++) buf[n] = (float)(sqrt(var) * synth_gauss(&rng));
      pn_stft_analyse(&s, buf, X);
      pn_band_energy(&bt, X, E);
      for (b = 0; b < PN_BANDS; b++) acc[b] += E[b] / 200.0;
    }
    for (b = 0; b < PN_BANDS; b++) {
      double db = fabs(10.0 * log10(acc[b] / var));
      if (db > worst) worst = db;
    }
    CHECK(worst < 1.5, "bands_power_normalised", "worst band off by %.2f dB", worst);
  }
  pn_stft_free(&s);
  free(x);
  free(y);
  return test_exit();
}
