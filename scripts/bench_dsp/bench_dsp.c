/*
 * bench_dsp.c - benchmark of the signal chain (lib/dsp, lib/percepnet.c).
 *
 *   bench_dsp chain SECONDS   the chain without the network (fixed gains 0.5,
 *                             strengths 0.5) over SECONDS of noisy speech;
 *                             prints the wall time; run under callgrind
 *                             with --toggle-collect=pn_process_fixed for the
 *                             instruction count
 *   bench_dsp full SECONDS    the same with the network (percepnet_process)
 *   bench_dsp oracle          SI-SDR of the oracle with and without the comb
 *                             filter on the test speech mixed with noise
 *
 * The speech is test/data/speech_48k.s16 (looped), the noise seeded white
 * noise at 5 dB SNR unless stated.
 */
#include "chain_fixed.h"
#include "fixture.h"
#include "percepnet.h"
#include "synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define F PERCEPNET_FRAME_SIZE

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static float *noisy_speech(int seconds, int *n_out, float **clean_out, double snr, int brown) {
  int n, i, len = seconds * 48000;
  float *s = fixture_speech(&n), *x, *c;
  SynthRng rng = {31337};
  if (!s) {
    fprintf(stderr, "bench_dsp: cannot read test/data/speech_48k.s16\n");
    exit(1);
  }
  len -= len % F;
  x = malloc(len * sizeof(float));
  c = malloc(len * sizeof(float));
  if (!x || !c) exit(1);
  for (i = 0; i < len; i++) c[i] = s[i % n];
  if (brown) {
    double st = 0.0, ps = synth_power(c, len), pn, g;
    for (i = 0; i < len; i++) {
      st = 0.96 * st + 0.04 * synth_gauss(&rng);
      x[i] = (float)st;
    }
    pn = synth_power(x, len);
    g = sqrt(ps / pn / pow(10.0, snr / 10.0));
    for (i = 0; i < len; i++) x[i] = c[i] + (float)(g * x[i]);
  } else {
    synth_add_noise(c, x, len, snr, &rng);
  }
  free(s);
  *n_out = len;
  if (clean_out) *clean_out = c;
  else free(c);
  return x;
}

static int bench_chain(int seconds, int with_net) {
  int n, t, b, err;
  float *x = noisy_speech(seconds, &n, NULL, 5.0, 0), out[F], g[PERCEPNET_NB_BANDS],
        r[PERCEPNET_NB_BANDS];
  PercepnetState *st = percepnet_create(NULL, &err);
  double t0, dt, sum = 0.0;
  if (!st) {
    fprintf(stderr, "bench_dsp: %s\n", percepnet_strerror(err));
    return 1;
  }
  for (b = 0; b < PERCEPNET_NB_BANDS; b++) g[b] = r[b] = 0.5f;
  t0 = now();
  for (t = 0; t < n / F; t++) {
    if (with_net)
      percepnet_process(st, out, x + t * F);
    else
      pn_process_fixed(st, out, x + t * F, g, r);
    sum += out[0];
  }
  dt = now() - t0;
  printf("%s: %d s of audio in %.3f s wall = %.1f x real time (checksum %.3g)\n",
         with_net ? "chain with network" : "chain without network", seconds, dt,
         seconds / dt, sum);
  percepnet_destroy(st);
  free(x);
  return 0;
}

static double oracle_sisdr(const float *y, const float *c, int n, int comb) {
  int t, frames = n / F;
  float *o = malloc((n + 3 * F) * sizeof(float)), zero[F] = {0};
  PercepnetState *st = percepnet_create(NULL, NULL);
  double v;
  if (!o || !st) exit(1);
  percepnet_set_oracle_comb(st, comb);
  for (t = 0; t < frames + 3; t++)
    percepnet_process_oracle(st, o + t * F, t < frames ? y + t * F : zero,
                             t < frames ? c + t * F : zero);
  v = fixture_si_sdr(c, o + 1440, n);
  percepnet_destroy(st);
  free(o);
  return v;
}

static int bench_oracle(void) {
  static const struct {
    double snr;
    int brown;
  } mixes[] = {{0, 0}, {0, 1}, {5, 0}, {10, 0}, {-5, 1}};
  size_t i;
  printf("%-22s %9s %13s %13s %8s\n", "mixture", "input", "oracle", "oracle r=0", "comb +");
  for (i = 0; i < sizeof(mixes) / sizeof(mixes[0]); i++) {
    int n;
    float *c, *y = noisy_speech(6, &n, &c, mixes[i].snr, mixes[i].brown);
    double in = fixture_si_sdr(c, y, n);
    double on = oracle_sisdr(y, c, n, 1), off = oracle_sisdr(y, c, n, 0);
    char name[64];
    snprintf(name, sizeof(name), "%s noise %+.0f dB", mixes[i].brown ? "brown" : "white",
             mixes[i].snr);
    printf("%-22s %6.2f dB %10.2f dB %10.2f dB %5.2f dB\n", name, in, on, off, on - off);
    free(c);
    free(y);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "chain")) return bench_chain(atoi(argv[2]), 0);
  if (argc >= 3 && !strcmp(argv[1], "full")) return bench_chain(atoi(argv[2]), 1);
  if (argc >= 2 && !strcmp(argv[1], "oracle")) return bench_oracle();
  fprintf(stderr, "usage: bench_dsp chain|full SECONDS | bench_dsp oracle\n");
  return 2;
}
