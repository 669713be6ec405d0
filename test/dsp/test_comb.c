/*
 * test_comb.c - the comb filter's response: unity at the harmonics of the
 * period, zero midway between them, the designed values at quarter points,
 * for the 5-tap (T <= 480) and 3-tap (T > 480) forms; white-noise power
 * factor rho.
 */
#include "comb_filter.h"
#include "synth.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LEN 8192
#define PAD 1600

/* Amplitude response at frequency f (cycles/sample) by filtering a sine. */
static double response(int period, double f) {
  static float x[LEN + 2 * PAD], y[LEN];
  double num = 0.0, den = 0.0;
  int n;
  for (n = 0; n < LEN + 2 * PAD; n++) x[n] = (float)sin(2.0 * PN_PI * f * n + 0.3);
  pn_comb_filter(x, LEN + 2 * PAD, PAD, LEN, period, NULL, y);
  for (n = 0; n < LEN; n++) {
    num += (double)y[n] * y[n];
    den += (double)x[n + PAD] * x[n + PAD];
  }
  return sqrt(num / den);
}

/* Designed amplitude response (comb_filter.h). */
static double design(int period, double f) {
  double th = 2.0 * PN_PI * f * period;
  if (pn_comb_taps(period) == 5) return fabs((4.0 + 6.0 * cos(th) + 2.0 * cos(2.0 * th)) / 12.0);
  return fabs((1.0 + cos(th)) / 2.0);
}

int main(void) {
  static const int periods[] = {60, 137, 320, 480, 481, 600, 768};
  size_t i;
  for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
    int T = periods[i], h, bad_h = 0, bad_mid = 0, bad_q = 0;
    double worst_h = 0.0, worst_mid = 0.0, worst_q = 0.0;
    char name[96];
    for (h = 1; h <= 6; h++) {
      double f = (double)h / T;
      double rh = response(T, f), rm = response(T, f + 0.5 / T), rq = response(T, f + 0.25 / T);
      double dq = fabs(rq - design(T, f + 0.25 / T));
      if (fabs(rh - 1.0) > worst_h) worst_h = fabs(rh - 1.0);
      if (rm > worst_mid) worst_mid = rm;
      if (dq > worst_q) worst_q = dq;
      bad_h += fabs(rh - 1.0) > 1e-3;
      bad_mid += rm > 1e-3; /* below -60 dB */
      bad_q += dq > 1e-3;
    }
    snprintf(name, sizeof(name), "comb_unity_at_harmonics_T%d", T);
    CHECK(bad_h == 0, name, "max |H - 1| = %g", worst_h);
    snprintf(name, sizeof(name), "comb_zero_between_harmonics_T%d", T);
    CHECK(bad_mid == 0, name, "max |H| midway = %g", worst_mid);
    snprintf(name, sizeof(name), "comb_quarter_points_T%d", T);
    CHECK(bad_q == 0, name, "max deviation from design %g", worst_q);
  }
  {
    /* white noise power factor: rho = 0.25 (5 taps), 0.375 (3 taps) */
    static float x[LEN + 2 * PAD], y[LEN];
    SynthRng rng = {7};
    int n, k;
    for (k = 0; k < 2; k++) {
      int T = k ? 600 : 200;
      double px = 0.0, py = 0.0, ratio;
      for (n = 0; n < LEN + 2 * PAD; n++) x[n] = (float)synth_gauss(&rng);
      pn_comb_filter(x, LEN + 2 * PAD, PAD, LEN, T, NULL, y);
      for (n = 0; n < LEN; n++) {
        px += (double)x[n + PAD] * x[n + PAD];
        py += (double)y[n] * y[n];
      }
      ratio = py / px;
      CHECK(fabs(ratio - pn_comb_rho(T)) < 0.03, k ? "comb_noise_power_3tap" : "comb_noise_power_5tap",
            "ratio %.3f, rho %.3f", ratio, pn_comb_rho(T));
    }
  }
  CHECK(pn_comb_taps(480) == 5 && pn_comb_taps(481) == 3, "comb_taps_by_lookahead",
        "taps(480) %d taps(481) %d", pn_comb_taps(480), pn_comb_taps(481));
  return test_exit();
}
