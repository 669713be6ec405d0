/*
 * test_oracle.c - the whole chain in oracle mode on real speech
 * (test/data/speech_48k.s16) mixed with noise at 0 dB SNR: SI-SDR must rise
 * by at least 10 dB (white noise, and low-pass "brown" noise that overlaps
 * the speech band). With clean == noisy the chain must give the input back,
 * delayed by 1440 samples, within -100 dB. The clean-pitch variant
 * (PERCEPNET_ORACLE_CLEAN_PITCH) must do at least as well as the default
 * within 0.5 dB on white noise (a clean pitch can only help the comb), and
 * the variant switch refuses values it does not know.
 */
#include "percepnet.h"
#include "fixture.h"
#include "synth.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F PERCEPNET_FRAME_SIZE

/* Runs the oracle over n samples (a multiple of F) and flushes the delay;
 * out must hold n + delay samples. */
static int run_oracle_mode(const float *noisy, const float *clean, int n, float *out,
                           int comb) {
  float zero[F] = {0};
  int t, frames = n / F, err;
  PercepnetState *st = percepnet_create(NULL, &err);
  if (!st) return err;
  err = percepnet_set_oracle_comb(st, comb);
  if (err != PERCEPNET_OK) {
    percepnet_destroy(st);
    return err;
  }
  for (t = 0; t < frames + 3; t++) {
    const float *y = t < frames ? noisy + t * F : zero;
    const float *x = t < frames ? clean + t * F : zero;
    percepnet_process_oracle(st, out + t * F, y, x);
  }
  percepnet_destroy(st);
  return 0;
}

static int run_oracle(const float *noisy, const float *clean, int n, float *out) {
  return run_oracle_mode(noisy, clean, n, out, PERCEPNET_ORACLE_COMB);
}

int main(void) {
  int n, i, delay = 1440;
  float *s = fixture_speech(&n), *y, *o;
  SynthRng rng = {2024};
  if (!s) {
    CHECK(0, "oracle_fixture", "cannot read test/data/speech_48k.s16");
    return test_exit();
  }
  n -= n % F;
  y = malloc(n * sizeof(float));
  o = malloc((n + 3 * F) * sizeof(float));
  if (!y || !o) return 1;

  /* identity */
  run_oracle(s, s, n, o);
  {
    double e = 0.0, p = 0.0, db;
    for (i = 0; i < n; i++) {
      double d = (double)o[i + delay] - s[i];
      e += d * d;
      p += (double)s[i] * s[i];
    }
    db = 10.0 * log10(e / p + 1e-30);
    CHECK(db < -100.0, "oracle_identity_reconstruction", "error %.1f dB", db);
  }

  /* white noise, 0 dB */
  synth_add_noise(s, y, n, 0.0, &rng);
  run_oracle(y, s, n, o);
  {
    double in = fixture_si_sdr(s, y, n), out = fixture_si_sdr(s, o + delay, n);
    printf("# white 0 dB: SI-SDR %.2f -> %.2f dB\n", in, out);
    CHECK(out - in >= 10.0, "oracle_white_0dB_sisdr_gain", "%.2f -> %.2f dB", in, out);
    run_oracle_mode(y, s, n, o, PERCEPNET_ORACLE_CLEAN_PITCH);
    {
      double cp = fixture_si_sdr(s, o + delay, n);
      printf("# white 0 dB, clean pitch: SI-SDR %.2f dB\n", cp);
      CHECK(cp >= out - 0.5, "oracle_clean_pitch_not_worse", "%.2f dB against %.2f dB", cp, out);
    }
  }
  {
    int err;
    PercepnetState *st = percepnet_create(NULL, &err);
    CHECK(st && percepnet_set_oracle_comb(st, 3) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_set_oracle_comb(st, -1) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_set_oracle_comb(st, PERCEPNET_ORACLE_CLEAN_PITCH) == PERCEPNET_OK,
          "oracle_variant_switch_checks_its_value", "unknown variant accepted");
    percepnet_destroy(st);
  }

  /* brown-ish noise (white through a one-pole low-pass at ~300 Hz), 0 dB */
  {
    float *noise = malloc(n * sizeof(float));
    double ps = synth_power(s, n), pn, g, state = 0.0;
    if (!noise) return 1;
    for (i = 0; i < n; i++) {
      state = 0.96 * state + 0.04 * synth_gauss(&rng);
      noise[i] = (float)state;
    }
    pn = synth_power(noise, n);
    g = sqrt(ps / pn);
    for (i = 0; i < n; i++) y[i] = s[i] + (float)(g * noise[i]);
    free(noise);
  }
  run_oracle(y, s, n, o);
  {
    double in = fixture_si_sdr(s, y, n), out = fixture_si_sdr(s, o + delay, n);
    printf("# brown 0 dB: SI-SDR %.2f -> %.2f dB\n", in, out);
    CHECK(out - in >= 10.0, "oracle_brown_0dB_sisdr_gain", "%.2f -> %.2f dB", in, out);
  }
  free(s);
  free(y);
  free(o);
  return test_exit();
}
