/*
 * test_targets.c - contracts of lib/dsp/targets.h: the gain target is
 * min(1, sqrt(E_X / E_Y)) and in [0, 1]; no comb (r = 0) when the clean band
 * is no more harmonic than the noisy one; r grows with the clean band's
 * coherence and solves f(r) = K where 0 < r < 1; where even r = 1 is not
 * enough the gain is lowered, never raised; both comb lengths; the VAD
 * target's thresholds and its 5 dB/s peak decay.
 */
#include <math.h>
#include <stdint.h>

#include "comb_filter.h"
#include "targets.h"
#include "testutil.h"

static uint32_t rng = 99991u;
static float urand(void) { /* LCG, uniform in [0, 1) */
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 16777216.0f;
}

/* harmonic share a from a coherence q (formula of targets.h), without the
 * 0.999 cap */
static double share(double q, double side_rho) {
  double u = q * q * (1.0 - side_rho);
  return 0.5 * (u + sqrt(u * u + 4.0 * q * q * side_rho));
}

static void test_gains(void) {
  float Ey[PN_BANDS], Ex[PN_BANDS], g[PN_BANDS];
  int ok = 1;
  for (int b = 0; b < PN_BANDS; b++) {
    Ey[b] = 1e-4f;
    Ex[b] = 1e-4f * (float)b / 16.0f; /* ratio 0 .. 2.06 */
  }
  pn_targets_gain_only(Ey, Ex, g);
  for (int b = 0; b < PN_BANDS; b++) {
    double want = fmin(1.0, sqrt((Ex[b] + 1e-12) / (Ey[b] + 1e-12)));
    ok &= fabs(g[b] - want) < 1e-6 && g[b] >= 0.0f && g[b] <= 1.0f;
  }
  CHECK(ok, "gain target min(1, sqrt(E_X / E_Y)), in [0, 1]", "band mismatch");
  CHECK(fabsf(g[4] - 0.5f) < 1e-6f && g[33] == 1.0f, "gain target: -12 dB clean reads 0.5, louder clean 1",
        "%g %g", (double)g[4], (double)g[33]);
}

static void test_strengths(int period) {
  float Ey[PN_BANDS], Ex[PN_BANDS], qy[PN_BANDS], qx[PN_BANDS], g[PN_BANDS], r[PN_BANDS];
  float g0[PN_BANDS];
  const double rho = pn_comb_rho(period), side = pn_comb_side_rho(period);
  const double w0 = pn_comb_centre(period);
  char name[160];
  int range = 1, no_comb = 1, lowered = 1, solves = 1, full = 0, partial = 0;
  for (int it = 0; it < 500; it++) {
    for (int b = 0; b < PN_BANDS; b++) {
      Ey[b] = 1e-3f * (0.1f + urand());
      Ex[b] = Ey[b] * urand();
      qy[b] = urand();
      qx[b] = (it % 3 == 0) ? qy[b] * urand() : urand();
    }
    qx[0] = 1.0f; /* fully harmonic clean band: needs the whole comb */
    qy[0] = 0.05f;
    pn_targets_compute(Ey, Ex, qy, qx, period, g, r);
    pn_targets_gain_only(Ey, Ex, g0);
    for (int b = 0; b < PN_BANDS; b++) {
      range &= g[b] >= 0.0f && g[b] <= 1.0f && r[b] >= 0.0f && r[b] <= 1.0f;
      if (qx[b] <= qy[b]) no_comb &= r[b] == 0.0f && g[b] == g0[b];
      lowered &= g[b] <= g0[b];
      if (r[b] > 0.0f && r[b] < 1.0f) {
        double ay = share(qy[b], side), ax = share(qx[b], side);
        if (ax < 0.99 && ay < 0.99) { /* away from the 0.999 cap */
          double K = ay * (1.0 - ax) / (ax * (1.0 - ay));
          double f = 1.0 - 2.0 * (1.0 - w0) * r[b] + (1.0 + rho - 2.0 * w0) * r[b] * r[b];
          if (fabs(f - K) > 1e-3) solves = 0;
          partial++;
        }
      }
      if (r[b] == 1.0f && g[b] < g0[b]) full++;
    }
  }
  snprintf(name, sizeof name, "T=%d: targets in [0, 1]", period);
  CHECK(range, name, "out of range");
  snprintf(name, sizeof name, "T=%d: no comb and the plain gain where clean is no more harmonic", period);
  CHECK(no_comb, name, "r > 0 or gain changed");
  snprintf(name, sizeof name, "T=%d: the comb never raises the gain target", period);
  CHECK(lowered, name, "gain above min(1, sqrt(E_X / E_Y))");
  snprintf(name, sizeof name, "T=%d: 0 < r < 1 solves f(r) = K (%d bands)", period, partial);
  CHECK(solves && partial > 100, name, "f(r) != K or too few cases");
  snprintf(name, sizeof name, "T=%d: r = 1 with a lowered gain where the comb is not enough (%d)",
           period, full);
  CHECK(full >= 500, name, "too few");

  /* monotonic: r does not fall as the clean band gets more harmonic */
  int mono = 1;
  for (int b = 0; b < PN_BANDS; b++) {
    Ey[b] = 1e-3f;
    Ex[b] = 5e-4f;
    qy[b] = 0.02f * (float)b;
  }
  float prev[PN_BANDS] = {0};
  for (int s = 0; s <= 100; s++) {
    for (int b = 0; b < PN_BANDS; b++) qx[b] = 0.01f * (float)s;
    pn_targets_compute(Ey, Ex, qy, qx, period, g, r);
    for (int b = 0; b < PN_BANDS; b++) {
      if (r[b] < prev[b]) mono = 0;
      prev[b] = r[b];
    }
  }
  snprintf(name, sizeof name, "T=%d: r non-decreasing in the clean coherence", period);
  CHECK(mono, name, "r fell");
}

static void test_vad(void) {
  PnVadTarget v;
  pn_vad_target_reset(&v);
  float a = pn_vad_target(&v, 1e-2f);  /* -20 dB: the peak */
  float b = pn_vad_target(&v, 3.2e-6f); /* -55 dB: 35 below the peak */
  float c = pn_vad_target(&v, 3.2e-7f); /* -65 dB: 45 below */
  CHECK(a == 1.0f && b == -1.0f && c == 0.0f,
        "VAD target: within 30 dB of the peak 1, 30..40 below unsure, beyond 0",
        "%g %g %g", (double)a, (double)b, (double)c);
  for (int t = 0; t < 200; t++) pn_vad_target(&v, 0.0f); /* 2 s: peak -30 dB */
  float d = pn_vad_target(&v, 3.2e-6f);
  CHECK(d == 1.0f, "VAD target: the peak decays 5 dB/s (-55 dB speech 2 s later)", "%g",
        (double)d);
  pn_vad_target_reset(&v);
  float e = pn_vad_target(&v, 1e-10f); /* -100 dB */
  float f = pn_vad_target(&v, 1e-11f); /* -110 dB */
  CHECK(e == -1.0f && f == 0.0f, "VAD target: -100 dB unsure, below it 0", "%g %g",
        (double)e, (double)f);
}

int main(void) {
  test_gains();
  test_strengths(200); /* 5-tap comb */
  test_strengths(600); /* 3-tap comb */
  test_vad();
  return test_exit();
}
