/*
 * test_level_track.c - the network's inputs do not depend on the input gain.
 *
 * The same noisy signal (voiced speech-like tone, pauses, white noise at
 * 5 dB SNR) is dumped at three gains 20 dB apart (x 0.1, x 1, x 10 of a
 * signal peaking at -20 dBFS) through percepnet_train_frame(), which runs
 * the denoiser's own analysis step. All 104 features of every frame must
 * agree within 1e-3 (the level tracker is shift-equivariant in the log
 * domain; float rounding gives about 1e-4). Digital silence from the
 * start gives finite features. The tracker itself: the first frame sets
 * the level, it rises with 300 ms and falls with 4 s time constants, and
 * digital silence leaves it exactly where it was.
 */
#include "percepnet_train.h"
#include "level_track.h"
#include "synth.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 300
#define N (FRAMES * PERCEPNET_FRAME_SIZE)
#define NF PN_FEATURES

static void dump(const float *noisy, float gain, float *feat_all) {
  static float x[N];
  float g[PERCEPNET_NB_BANDS], r[PERCEPNET_NB_BANDS], vad;
  PercepnetTrain *tr = percepnet_train_create();
  int i, t;
  for (i = 0; i < N; i++) x[i] = gain * noisy[i];
  for (t = 0; t < FRAMES; t++)
    percepnet_train_frame(tr, x + t * PERCEPNET_FRAME_SIZE, x + t * PERCEPNET_FRAME_SIZE,
                          20000.0f, feat_all + t * NF, g, r, &vad);
  percepnet_train_destroy(tr);
}

static double max_diff(const float *a, const float *b, int from, int to) {
  double m = 0.0;
  int i;
  for (i = from * NF; i < to * NF; i++) {
    double d = fabs((double)a[i] - b[i]);
    if (!(d <= m)) m = d;
  }
  return m;
}

int main(void) {
  static float clean[N], noisy[N], gap[N];
  static float f_mid[FRAMES * NF], f_lo[FRAMES * NF], f_hi[FRAMES * NF], f_gap[FRAMES * NF];
  SynthRng rng = {777};
  double d_lo, d_hi;
  int i, finite = 1;
  synth_voiced(clean + N / 6, NULL, N / 3, 140.0, 180.0, 0.01, 1, 8000.0, 0.1, &rng);
  synth_voiced(clean + 2 * N / 3, NULL, N / 4, 200.0, 120.0, 0.01, 1, 8000.0, 0.1, &rng);
  synth_add_noise(clean, noisy, N, 5.0, &rng);
  {
    float peak = 0.0f; /* scaled to a peak of 0.1 (-20 dBFS): +20 dB stays unclipped */
    for (i = 0; i < N; i++) peak = fabsf(noisy[i]) > peak ? fabsf(noisy[i]) : peak;
    for (i = 0; i < N; i++) noisy[i] *= 0.1f / peak;
  }
  dump(noisy, 1.0f, f_mid);
  dump(noisy, 0.1f, f_lo);
  dump(noisy, 10.0f, f_hi);
  d_lo = max_diff(f_mid, f_lo, 0, FRAMES);
  d_hi = max_diff(f_mid, f_hi, 0, FRAMES);
  CHECK(d_lo < 1e-3, "features at -20 dB equal those at 0 dB", "max |diff| %.3g", d_lo);
  CHECK(d_hi < 1e-3, "features at +20 dB equal those at 0 dB", "max |diff| %.3g", d_hi);

  /* silence from the start: finite features */
  memset(gap, 0, sizeof gap);
  dump(gap, 1.0f, f_gap);
  for (i = 0; i < FRAMES * NF; i++)
    if (!isfinite(f_gap[i])) finite = 0;
  CHECK(finite, "digital silence from the start gives finite features", "NaN or Inf");
  {
    PnLevelTrack lt;
    float E[PERCEPNET_NB_BANDS], L0, L1;
    pn_level_track_reset(&lt);
    for (i = 0; i < PERCEPNET_NB_BANDS; i++) E[i] = 1e-4f; /* -40 dB */
    L0 = pn_level_track_push(&lt, E);
    for (i = 0; i < PERCEPNET_NB_BANDS; i++) E[i] = 1e-2f; /* -20 dB: rises */
    for (i = 0; i < 30; i++) L1 = pn_level_track_push(&lt, E);
    /* 30 frames at rise rate a: L = -2 + 1 (1 - (1 - a)^30) */
    CHECK(fabsf(L0 + 2.0f) < 1e-4f, "first frame sets the level", "L0 %.5f", L0);
    CHECK(fabsf(L1 - (-2.0f + 1.0f - powf(1.0f - PN_LEVEL_RISE, 30.0f))) < 1e-3f,
          "the level rises with the 300 ms time constant", "L after 300 ms %.4f", L1);
    for (i = 0; i < PERCEPNET_NB_BANDS; i++) E[i] = 0.0f; /* digital silence */
    for (i = 0; i < 50; i++) L0 = pn_level_track_push(&lt, E);
    CHECK(L0 == L1, "digital silence leaves the level unchanged", "%.6f -> %.6f", L1, L0);
    for (i = 0; i < PERCEPNET_NB_BANDS; i++) E[i] = 1e-6f; /* -60 dB: falls */
    for (i = 0; i < 400; i++) L0 = pn_level_track_push(&lt, E);
    /* 4 s at fall rate b: L = -3 + (L1 + 3) (1 - b)^400, about 1/e of the way */
    CHECK(fabsf(L0 - (-3.0f + (L1 + 3.0f) * powf(1.0f - PN_LEVEL_FALL, 400.0f))) < 1e-3f,
          "the level falls with the 4 s time constant", "L after 4 s %.4f", L0);
  }
  printf("# max |feature diff| at -20 dB %.3g, at +20 dB %.3g\n", d_lo, d_hi);
  return test_exit();
}
