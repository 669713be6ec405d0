/*
 * test_net_features.c - contracts of lib/dsp/net_features.h: the band
 * features are 0.5 log10(E + 1e-10) - L, rise with the band power and do not
 * move when a gain on the input moves the level with it; coherences, pitch
 * period and correlation map as tabled; the SNR features 70..103 are
 * 0.5 log10((E + 1e-10) / (N + 1e-10)), 0 when E = N, +1 at 20 dB, unmoved by
 * a gain on both and by the level, and the first 70 features do not depend
 * on N; every one of the 104 values stays in [-8, 8] and finite for any
 * input (NaN -> 0), and 34..69 in their ranges.
 */
#include <math.h>
#include <stdint.h>

#include "net_features.h"
#include "testutil.h"

static uint32_t rng = 2718u;
static float urand(void) { /* LCG, uniform in [0, 1) */
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 16777216.0f;
}

int main(void) {
  float E[PN_BANDS], E2[PN_BANDS], coh[PN_BANDS], f[PN_FEATURES], f2[PN_FEATURES];
  float Nz[PN_BANDS], N2[PN_BANDS];
  int ok = 1, inv = 1, snr_ok = 1, snr_inv = 1, base_free = 1;
  for (int it = 0; it < 200; it++) {
    float level = 4.0f * urand() - 3.0f;
    for (int b = 0; b < PN_BANDS; b++) {
      E[b] = powf(10.0f, -10.0f * urand());
      Nz[b] = powf(10.0f, -10.0f * urand());
      coh[b] = urand();
    }
    pn_features_compute(E, level, Nz, coh, 240.0f, 0.5f, f);
    for (int b = 0; b < PN_BANDS; b++) {
      double want = 0.5 * log10((double)E[b] + 1e-10) - level;
      double snr = 0.5 * log10(((double)E[b] + 1e-10) / ((double)Nz[b] + 1e-10));
      if (snr > 8.0) snr = 8.0;
      if (snr < -8.0) snr = -8.0;
      if (fabs(f[b] - want) > 1e-5) ok = 0;
      if (fabs(f[PN_FEAT_SNR + b] - snr) > 1e-5) snr_ok = 0;
    }
    /* another noise estimate leaves features 0..69 exactly as they were */
    for (int b = 0; b < PN_BANDS; b++) N2[b] = Nz[b] * 7.0f;
    pn_features_compute(E, level, N2, coh, 240.0f, 0.5f, f2);
    for (int i = 0; i < PN_FEATURES_BASE; i++) base_free &= f2[i] == f[i];
    /* +20 dB on the input: E x 100, N x 100 and the tracked level + 1 */
    for (int b = 0; b < PN_BANDS; b++) {
      E2[b] = E[b] * 100.0f;
      N2[b] = Nz[b] * 100.0f;
    }
    pn_features_compute(E2, level + 1.0f, N2, coh, 240.0f, 0.5f, f2);
    for (int b = 0; b < PN_BANDS; b++) {
      if (E[b] > 1e-6f && fabsf(f2[b] - f[b]) > 5e-5f) inv = 0; /* floor effect < 2.2e-5 */
      if (E[b] > 1e-6f && Nz[b] > 1e-6f &&
          fabsf(f2[PN_FEAT_SNR + b] - f[PN_FEAT_SNR + b]) > 5e-5f)
        snr_inv = 0;
    }
  }
  CHECK(ok, "band features: 0.5 log10(E + 1e-10) - L", "formula mismatch");
  CHECK(inv, "band features: a +20 dB input gain tracked by the level changes nothing",
        "feature moved");
  CHECK(snr_ok, "features 70..103: 0.5 log10((E + 1e-10) / (N + 1e-10))", "formula mismatch");
  CHECK(snr_inv, "SNR features: a +20 dB gain on the input and its noise changes nothing",
        "feature moved");
  CHECK(base_free, "features 0..69 do not depend on the noise estimate", "one moved");

  for (int b = 0; b < PN_BANDS; b++) {
    E[b] = 1e-3f * (float)(b + 1);
    Nz[b] = b % 2 ? E[b] : 0.01f * E[b];
  }
  pn_features_compute(E, 0.0f, Nz, coh, 240.0f, 0.5f, f);
  int snr_units = 1;
  for (int b = 0; b < PN_BANDS; b++)
    snr_units &= fabsf(f[PN_FEAT_SNR + b] - (b % 2 ? 0.0f : 1.0f)) < 1e-5f;
  CHECK(snr_units, "SNR feature: 0 when E = N, 1 at 20 dB", "mismatch");

  int mono = 1;
  float prev = -9.0f;
  for (int i = 0; i <= 200; i++) {
    for (int b = 0; b < PN_BANDS; b++) E[b] = powf(10.0f, -12.0f + 0.07f * (float)i);
    pn_features_compute(E, 0.0f, Nz, coh, 240.0f, 0.5f, f);
    if (f[7] < prev) mono = 0;
    prev = f[7];
  }
  CHECK(mono, "band features non-decreasing in the band power (-120 .. +20 dB)", "fell");

  for (int b = 0; b < PN_BANDS; b++) {
    E[b] = 1e-3f;
    coh[b] = (float)b / (PN_BANDS - 1);
  }
  pn_features_compute(E, 0.0f, Nz, coh, 240.0f, 0.25f, f);
  int cohs = 1;
  for (int b = 0; b < PN_BANDS; b++) cohs &= f[PN_BANDS + b] == coh[b];
  CHECK(cohs, "features 34..67 are the band coherences", "mismatch");
  const float periods[] = {60.0f, 120.0f, 240.0f, 480.0f, 768.0f};
  const float logs[] = {-2.0f, -1.0f, 0.0f, 1.0f, 1.678072f};
  int per = 1;
  for (int i = 0; i < 5; i++) {
    pn_features_compute(E, 0.0f, Nz, coh, periods[i], 0.25f, f);
    per &= fabsf(f[2 * PN_BANDS] - logs[i]) < 1e-5f;
  }
  CHECK(per, "feature 68: log2(T / 240), -2 at 60 .. 1.68 at 768", "mismatch");
  pn_features_compute(E, 0.0f, Nz, coh, 240.0f, -0.3f, f);
  float neg = f[2 * PN_BANDS + 1];
  pn_features_compute(E, 0.0f, Nz, coh, 240.0f, 0.75f, f);
  CHECK(neg == 0.0f && f[2 * PN_BANDS + 1] == 0.75f,
        "feature 69: the pitch correlation, negative read as 0", "%g %g", (double)neg,
        (double)f[2 * PN_BANDS + 1]);

  /* hostile values: everything finite and within [-8, 8] */
  const float bad[] = {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 0.0f, -1.0f, 1e-38f};
  int bounded = 1, nan0 = 1;
  for (int it = 0; it < 400; it++) {
    for (int b = 0; b < PN_BANDS; b++) {
      E[b] = bad[(it + b) % 8];
      Nz[b] = bad[(it + 5 * b + it / 8) % 8];
      coh[b] = bad[(it + 3 * b) % 8];
    }
    float level = it % 5 == 0 ? NAN : 20.0f * urand() - 10.0f;
    pn_features_compute(E, level, Nz, coh, bad[it % 8], bad[(it + 5) % 8], f);
    for (int i = 0; i < PN_FEATURES; i++) bounded &= f[i] >= -8.0f && f[i] <= 8.0f;
    for (int b = 0; b < PN_BANDS; b++)
      if (coh[b] != coh[b]) nan0 &= f[PN_BANDS + b] == 0.0f;
  }
  CHECK(bounded, "all 104 features finite and in [-8, 8] for NaN, Inf and huge inputs",
        "a value out of range or NaN");
  CHECK(nan0, "a NaN input gives 0", "NaN coherence not 0");
  return test_exit();
}
