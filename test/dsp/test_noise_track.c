/*
 * test_noise_track.c - the contract of lib/dsp/noise_track.h on the band
 * powers of the chain's own analysis (channel.h), white noise from a seeded
 * generator:
 *   - the first non-silent frame starts the estimate, silent frames before
 *     it and after it change nothing;
 *   - steady noise: from 3 s on the estimate lies within 1 dB of the band's
 *     mean power in every band and frame, and its mean within 0.5 dB (the
 *     bias is printed per band);
 *   - a 2 s tone 20 dB over the noise in band 20 lifts the estimate there by
 *     at most 6 dB (3 dB/s), the band's SNR feature (net_features.h) stays
 *     above 0.6 (12 dB) through the tone and near 0 in the other bands, and
 *     0.3 s after the tone the estimate is back within 2 dB;
 *   - a step 20 dB down is followed within 0.2 s (every band within 3 dB of
 *     the new mean, band 0 within 5 dB, their median within 1 dB);
 *   - real speech (test/data) at 5 dB SNR over white noise lifts the mean
 *     estimate by less than 2 dB;
 *   - after the 0.2 s warm-up no frame of any of these raises the estimate
 *     by more than 0.03 dB (3 dB/s);
 *   - finite and within [0, PN_NOISE_MAX] for zeros, denormals, huge
 *     values, infinities and NaN.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "fixture.h"
#include "net_features.h"
#include "noise_track.h"
#include "synth.h"
#include "testutil.h"

#define SECONDS(s) ((int)((s) * 100)) /* frames */

static PnStft stft;
static PnBands bands;
static PnChannel ch;
static const float no_coh[PN_BANDS]; /* coherences for pn_features_compute */
static int rise_ok = 1; /* no frame raised N by more than the cap */

static double db(double x) { return 10.0 * log10(x); }

/* Pushes E into nt, checking the rise bound; prior as pn_noise_track_push. */
static void push(PnNoiseTrack *nt, const float *E, float *prior) {
  float before[PN_BANDS];
  const int warm = nt->frames < PN_NOISE_WARM; /* the start's plain mean */
  memcpy(before, nt->noise, sizeof before);
  pn_noise_track_push(nt, E, prior);
  if (warm) return;
  for (int b = 0; b < PN_BANDS; b++) {
    double base = before[b] > PN_NOISE_CAP_FLOOR ? before[b] : PN_NOISE_CAP_FLOOR;
    if ((double)nt->noise[b] - before[b] > PN_NOISE_RISE * base * (1.0 + 1e-5)) rise_ok = 0;
  }
}

/* Analyses frames [0, n) of x (480 samples each): E[t][b]. */
static void analyse(const float *x, int n, float (*E)[PN_BANDS]) {
  pn_channel_reset(&ch);
  for (int t = 0; t < n; t++) {
    pn_channel_push(&ch, &stft, &bands, x + (size_t)t * PN_FRAME);
    memcpy(E[t], pn_channel_energy(&ch, 0), sizeof E[t]);
  }
}

static void noise(float *x, int n, double sd, SynthRng *r) {
  for (int i = 0; i < n; i++) x[i] = (float)(sd * synth_gauss(r));
}

/* Runs the tracker over E[0..n): N[t] = N_b(t), prior[t] = N_b(t - 1). */
static void track(float (*E)[PN_BANDS], int n, float (*N)[PN_BANDS], float (*prior)[PN_BANDS]) {
  static PnNoiseTrack nt;
  pn_noise_track_reset(&nt);
  for (int t = 0; t < n; t++) {
    push(&nt, E[t], prior[t]);
    memcpy(N[t], nt.noise, sizeof N[t]);
  }
}

/* Mean of E[from..to) in band b. */
static double mean_power(float (*E)[PN_BANDS], int from, int to, int b) {
  double s = 0.0;
  for (int t = from; t < to; t++) s += E[t][b];
  return s / (to - from);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#define MAXF SECONDS(12)
static float sig[MAXF * PN_FRAME];
static float E[MAXF][PN_BANDS], N[MAXF][PN_BANDS], P[MAXF][PN_BANDS];

static void test_start_and_silence(void) {
  static PnNoiseTrack nt;
  float e[PN_BANDS], prior[PN_BANDS], kept[PN_BANDS];
  int ok = 1;
  pn_noise_track_reset(&nt);
  for (int b = 0; b < PN_BANDS; b++) e[b] = 1e-12f * (float)(b + 1); /* -110 dB: silent */
  push(&nt, e, prior);
  for (int b = 0; b < PN_BANDS; b++) ok &= prior[b] == e[b];
  CHECK(ok && nt.frames == 0, "silent frames before the start: prior is the frame, nothing learnt",
        "frames %d", nt.frames);
  for (int b = 0; b < PN_BANDS; b++) e[b] = 1e-4f * (float)(b + 1);
  push(&nt, e, prior);
  ok = nt.frames == 1;
  for (int b = 0; b < PN_BANDS; b++) ok &= prior[b] == e[b] && nt.noise[b] == e[b];
  CHECK(ok, "the first non-silent frame starts the estimate at its power", "mismatch");
  for (int t = 0; t < 50; t++) {
    for (int b = 0; b < PN_BANDS; b++) e[b] = 2e-4f * (float)(b + 1);
    push(&nt, e, prior);
  }
  memcpy(kept, nt.noise, sizeof kept);
  memset(e, 0, sizeof e);
  ok = 1;
  for (int t = 0; t < SECONDS(1); t++) {
    push(&nt, e, prior);
    for (int b = 0; b < PN_BANDS; b++) ok &= prior[b] == kept[b];
  }
  ok &= memcmp(kept, nt.noise, sizeof kept) == 0;
  CHECK(ok, "1 s of digital silence leaves the estimate exactly as it was", "moved");
}

static void test_steady(void) {
  const int n = SECONDS(10), from = SECONDS(3);
  SynthRng r = {20240601};
  double worst = 0.0, bias[PN_BANDS];
  int worst_b = 0;
  noise(sig, n * PN_FRAME, 0.01, &r); /* -40 dB: E about 1e-4 in every band */
  analyse(sig, n, E);
  track(E, n, N, P);
  for (int b = 0; b < PN_BANDS; b++) {
    bias[b] = db(mean_power(N, from, n, b) / mean_power(E, from, n, b));
    if (fabs(bias[b]) > fabs(worst)) {
      worst = bias[b];
      worst_b = b;
    }
  }
  printf("# steady white noise, bias of N over 3..10 s (dB), bands 0..33:\n#");
  for (int b = 0; b < PN_BANDS; b++) printf(" %+.2f", bias[b]);
  printf("\n");
  int ok = 1;
  double spread = 0.0; /* largest distance of N from the mean power after 3 s */
  for (int b = 0; b < PN_BANDS; b++) {
    const double mu = mean_power(E, from, n, b);
    for (int t = from; t < n; t++) {
      double d = fabs(db(N[t][b] / mu));
      if (d > spread) spread = d;
      if (d > 1.0) ok = 0;
    }
  }
  CHECK(fabs(worst) <= 0.5, "steady noise: the mean of N within 0.5 dB of the mean band power",
        "band %d: %+.2f dB", worst_b, worst);
  CHECK(ok, "steady noise: N within 1 dB of the mean band power at every frame after 3 s",
        "up to %.2f dB", spread);
  printf("# steady white noise: largest |N / mean| after 3 s %.2f dB\n", spread);
}

static void test_tone_burst(void) {
  const int n = SECONDS(8), on = SECONDS(4), off = SECONDS(6), tb = 20;
  float f[PN_FEATURES];
  SynthRng r = {99};
  noise(sig, n * PN_FRAME, 0.01, &r);
  /* 4 kHz (band 20's peak), amplitude 0.02: about 20 dB over the noise there */
  for (int i = on * PN_FRAME; i < off * PN_FRAME; i++)
    sig[i] += 0.02f * (float)sin(2.0 * PN_PI * 4000.0 * i / 48000.0);
  analyse(sig, n, E);
  track(E, n, N, P);
  const double mu = mean_power(E, SECONDS(2), on, tb);
  const double snr = db(mean_power(E, on + 10, off, tb) / mu);
  const double before = mean_power(N, on - 50, on, tb);
  const double lift = db(N[off - 1][tb] / before);
  double snr_min = 9.0, other = 0.0;
  int n_other = 0;
  for (int t = on + 2; t < off; t++) {
    pn_features_compute(E[t], 0.0f, P[t], no_coh, 240.0f, 0.0f, f);
    if (f[PN_FEAT_SNR + tb] < snr_min) snr_min = f[PN_FEAT_SNR + tb];
    for (int b = 0; b < PN_BANDS; b++)
      if (b < tb - 2 || b > tb + 2) {
        other += f[PN_FEAT_SNR + b];
        n_other++;
      }
  }
  other /= n_other;
  const double back = db(N[off + SECONDS(0.3)][tb] / mu);
  printf("# tone burst in band %d: %.1f dB over the noise; N lifted %.2f dB in 2 s; SNR "
         "feature >= %.2f; other bands' mean %.3f; 0.3 s after: %+.2f dB\n",
         tb, snr, lift, snr_min, other, back);
  CHECK(snr > 17.0, "tone burst: the tone stands about 20 dB over the noise (set-up)",
        "%.1f dB", snr);
  CHECK(lift <= 6.05, "tone burst: 2 s of a steady tone lift N by at most 6 dB", "%.2f dB",
        lift);
  CHECK(snr_min > 0.6, "tone burst: the band's SNR feature stays above 0.6 (12 dB)",
        "min %.2f", snr_min);
  CHECK(fabs(other) < 0.1, "tone burst: the SNR features of the other bands stay near 0",
        "mean %.3f", other);
  CHECK(fabs(back) <= 2.0, "tone burst: 0.3 s after it N is back within 2 dB", "%+.2f dB",
        back);
}

static void test_drop(void) {
  const int n = SECONDS(9), at = SECONDS(6);
  SynthRng r = {4242};
  double err[PN_BANDS - 1], worst = 0.0, e0 = 0.0;
  int worst_b = 1;
  noise(sig, n * PN_FRAME, 0.01, &r);
  for (int i = at * PN_FRAME; i < n * PN_FRAME; i++) sig[i] *= 0.1f; /* -20 dB */
  analyse(sig, n, E);
  track(E, n, N, P);
  const int t = at + SECONDS(0.2);
  for (int b = 0; b < PN_BANDS; b++) {
    double e = db(N[t][b] / mean_power(E, at + 5, n, b));
    if (b == 0) {
      e0 = e;
      continue;
    }
    err[b - 1] = e;
    if (fabs(e) > fabs(worst)) {
      worst = e;
      worst_b = b;
    }
  }
  qsort(err, PN_BANDS - 1, sizeof err[0], cmp_double);
  const double median = err[(PN_BANDS - 1) / 2];
  printf("# 20 dB drop, 0.2 s after: median %+.2f dB, worst %+.2f dB (band %d), band 0 "
         "%+.2f dB; just before the drop N was %+.1f dB over the new level (band 10)\n",
         median, worst, worst_b, e0, db(N[at - 1][10] / mean_power(E, at + 5, n, 10)));
  CHECK(fabs(median) <= 1.0 && fabs(worst) <= 3.0 && fabs(e0) <= 5.0,
        "a 20 dB drop is followed within 0.2 s",
        "median %+.2f, worst %+.2f (band %d), band 0 %+.2f dB", median, worst, worst_b, e0);
}

static void test_speech(void) {
  int len = 0;
  float *speech = fixture_speech(&len);
  if (!speech) {
    CHECK(0, "speech fixture", "test/data/speech_48k.s16 missing");
    return;
  }
  const int lead = SECONDS(3), ns = len / PN_FRAME, n = lead + ns;
  if (n > MAXF) {
    CHECK(0, "speech fixture", "longer than expected");
    free(speech);
    return;
  }
  SynthRng r = {31337};
  double ps = synth_power(speech, len);
  double sd = sqrt(ps / pow(10.0, 0.5)); /* 5 dB SNR over the talk */
  noise(sig, n * PN_FRAME, sd, &r);
  for (int i = 0; i < ns * PN_FRAME; i++) sig[lead * PN_FRAME + i] += speech[i];
  free(speech);
  analyse(sig, n, E);
  track(E, n, N, P);
  /* the noise's mean band power: sd^2 in every band (dsp_const.h) */
  double mean = 0.0, most = -99.0;
  for (int t = lead; t < n; t++)
    for (int b = 0; b < PN_BANDS; b++) {
      double d = db(N[t][b] / (sd * sd));
      mean += d;
      if (d > most) most = d;
    }
  mean /= (double)(n - lead) * PN_BANDS;
  printf("# speech at 5 dB SNR over white noise (%.1f s): N over the noise power on average "
         "%+.2f dB, at most %+.2f dB\n", (double)ns / 100.0, mean, most);
  CHECK(mean < 2.0, "real speech at 5 dB SNR lifts the estimate by less than 2 dB on average",
        "%+.2f dB", mean);
}

static void test_hostile(void) {
  static PnNoiseTrack nt;
  const float bad[] = {NAN, INFINITY, -INFINITY, FLT_MAX, 1e30f, -1.0f, 0.0f, 1e-38f, 1e-3f};
  float e[PN_BANDS], prior[PN_BANDS], f[PN_FEATURES];
  int ok = 1;
  pn_noise_track_reset(&nt);
  for (int it = 0; it < 3000; it++) {
    for (int b = 0; b < PN_BANDS; b++) e[b] = bad[(it / (1 + b % 5) + b) % 9];
    push(&nt, e, prior);
    pn_features_compute(e, 0.0f, prior, no_coh, 240.0f, 0.0f, f);
    for (int b = 0; b < PN_BANDS; b++) {
      ok &= nt.noise[b] >= 0.0f && nt.noise[b] <= PN_NOISE_MAX;
      ok &= prior[b] >= 0.0f && prior[b] <= PN_NOISE_MAX;
      ok &= f[PN_FEAT_SNR + b] >= -8.0f && f[PN_FEAT_SNR + b] <= 8.0f;
    }
  }
  CHECK(ok, "NaN, infinities, huge, negative and tiny band powers: N finite in [0, 1e10], "
            "SNR features in [-8, 8]", "out of range");
}

int main(void) {
  if (pn_stft_init(&stft) != PN_DSP_OK) return 1;
  pn_bands_init(&bands);
  test_start_and_silence();
  test_steady();
  test_tone_burst();
  test_drop();
  test_speech();
  CHECK(rise_ok, "after the warm-up no frame raises the estimate by more than 0.03 dB (3 dB/s)",
        "it did");
  test_hostile();
  pn_stft_free(&stft);
  return test_exit();
}
