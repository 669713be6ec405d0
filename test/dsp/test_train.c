/*
 * test_train.c - percepnet_train_frame(): row layout, ranges, targets on
 * known signals (noise-only frames get small gains, clean == noisy gives
 * gains of 1 and strengths 0, the pitch features follow the true f0).
 */
#include "percepnet_train.h"
#include "synth.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 200
#define N (FRAMES * PERCEPNET_FRAME_SIZE)

int main(void) {
  float *clean = calloc(N, sizeof(float)), *noisy = calloc(N, sizeof(float));
  float feat[PN_FEATURES], g[PERCEPNET_NB_BANDS], r[PERCEPNET_NB_BANDS], vad;
  PercepnetTrain *tr = percepnet_train_create();
  SynthRng rng = {12345};
  int t, b, i, bad_range = 0, early_ok = 1, valid = 0, pitch_ok = 0, pitch_n = 0;
  double g_noise = 0.0, g_speech = 0.0;
  int n_noise = 0, n_speech = 0;
  if (!clean || !noisy || !tr) return 1;
  /* 1 s voiced 150 Hz from 0.5 s to 1.5 s, white noise throughout at 5 dB SNR */
  synth_voiced(clean + N / 4, NULL, N / 2, 150.0, 150.0, 0.0, 1, 8000.0, 0.1, &rng);
  synth_add_noise(clean, noisy, N, 5.0, &rng);
  for (t = 0; t < FRAMES; t++) {
    int ret = percepnet_train_frame(tr, noisy + t * 480, clean + t * 480, 20000.0f,
                                    feat, g, r, &vad);
    if (t < 2 && ret != 0) early_ok = 0;
    if (t >= 2 && ret != 1) early_ok = 0;
    for (i = 0; i < PN_FEATURES; i++)
      if (!(feat[i] >= -8.0f && feat[i] <= 8.0f)) bad_range++;
    if (!ret) continue;
    valid++;
    for (b = 0; b < PERCEPNET_NB_BANDS; b++) {
      if (!((g[b] >= 0.0f && g[b] <= 1.0f) || g[b] == -1.0f)) bad_range++;
      if (!((r[b] >= 0.0f && r[b] <= 1.0f) || r[b] == -1.0f)) bad_range++;
    }
    {
      int l = t - 2; /* output frame */
      if (l > 10 && l < 45) { /* noise only */
        for (b = 0; b < 30; b++) g_noise += g[b];
        n_noise += 30;
      }
      if (l > 55 && l < 145) {
        for (b = 0; b < 20; b++) g_speech += g[b];
        n_speech += 20;
        pitch_n++;
        /* feature 68 = log2(T / 240) of frame t-2; T = 320 at 150 Hz */
        if (fabsf(feat[68] - log2f(320.0f / 240.0f)) < 0.03f && feat[69] > 0.5f) pitch_ok++;
      }
    }
  }
  CHECK(early_ok && valid == FRAMES - 2, "train_valid_from_step_2", "valid %d", valid);
  CHECK(bad_range == 0, "train_ranges", "%d values out of range", bad_range);
  g_noise /= n_noise;
  g_speech /= n_speech;
  CHECK(g_noise < 0.05, "train_gain_noise_only", "mean gain %.3f", g_noise);
  CHECK(g_speech > 0.3, "train_gain_speech", "mean gain %.3f", g_speech);
  CHECK(pitch_ok >= pitch_n * 98 / 100, "train_pitch_feature", "%d of %d frames", pitch_ok, pitch_n);

  /* clean == noisy: gains 1, strengths 0 wherever the band is not silent */
  percepnet_train_reset(tr);
  {
    int bad = 0;
    for (t = 0; t < FRAMES; t++) {
      if (!percepnet_train_frame(tr, noisy + t * 480, noisy + t * 480, 0.0f, feat, g, r, &vad))
        continue;
      for (b = 0; b < PERCEPNET_NB_BANDS; b++)
        if (g[b] != -1.0f && (fabsf(g[b] - 1.0f) > 1e-3f || r[b] > 1e-3f)) bad++;
    }
    CHECK(bad == 0, "train_identity_targets", "%d bands off", bad);
  }
  /* the features depend on the noisy input only: another clean reference
   * leaves them bit-identical */
  {
    PercepnetTrain *t2 = percepnet_train_create();
    float f2[PN_FEATURES], g2[PERCEPNET_NB_BANDS], r2[PERCEPNET_NB_BANDS], v2;
    int diff = 0;
    percepnet_train_reset(tr);
    for (t = 0; t < FRAMES; t++) {
      percepnet_train_frame(tr, noisy + t * 480, clean + t * 480, 0.0f, feat, g, r, &vad);
      percepnet_train_frame(t2, noisy + t * 480, noisy + t * 480, 0.0f, f2, g2, r2, &v2);
      diff += memcmp(feat, f2, sizeof(feat)) != 0;
    }
    CHECK(diff == 0, "train_features_from_noisy_only", "%d rows differ", diff);
    percepnet_train_destroy(t2);
  }
  /* band limit marks the bands above it */
  percepnet_train_reset(tr);
  {
    int bad = 0;
    for (t = 0; t < 20; t++) {
      if (!percepnet_train_frame(tr, noisy + t * 480, clean + t * 480, 4000.0f, feat, g, r, &vad))
        continue;
      for (b = 21; b < PERCEPNET_NB_BANDS; b++) /* centres above 4 kHz */
        if (g[b] != -1.0f || r[b] != -1.0f) bad++;
    }
    CHECK(bad == 0, "train_band_limit", "%d bands not masked", bad);
  }
  percepnet_train_destroy(tr);
  free(clean);
  free(noisy);
  return test_exit();
}
