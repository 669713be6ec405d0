/*
 * fixture.h - loads test/data/speech_48k.s16 (raw 16-bit little-endian mono
 * at 48 kHz, see test/data/README.md) and computes SI-SDR. Tests run from the
 * repository root (as `make test` does); PERCEPNET_TEST_DATA overrides the
 * directory.
 */
#ifndef TEST_DSP_FIXTURE_H
#define TEST_DSP_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Returns a malloc'ed buffer of *n samples in [-1, 1), or NULL. */
static inline float *fixture_speech(int *n) {
  const char *dir = getenv("PERCEPNET_TEST_DATA");
  char path[1024];
  FILE *f;
  long len, i;
  float *x;
  unsigned char *raw;
  snprintf(path, sizeof(path), "%s/speech_48k.s16", dir ? dir : "test/data");
  f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  len = ftell(f) / 2;
  fseek(f, 0, SEEK_SET);
  raw = malloc((size_t)len * 2);
  x = malloc((size_t)len * sizeof(float));
  if (!raw || !x || fread(raw, 2, (size_t)len, f) != (size_t)len) {
    fclose(f);
    free(raw);
    free(x);
    return NULL;
  }
  fclose(f);
  for (i = 0; i < len; i++) {
    int v = (int)(raw[2 * i] | (raw[2 * i + 1] << 8));
    if (v >= 32768) v -= 65536;
    x[i] = (float)v / 32768.0f;
  }
  free(raw);
  *n = (int)len;
  return x;
}

/* Scale-invariant SDR in dB of est against ref (n samples). */
static inline double fixture_si_sdr(const float *ref, const float *est, int n) {
  double rr = 0.0, re = 0.0, err = 0.0, a;
  int i;
  for (i = 0; i < n; i++) {
    rr += (double)ref[i] * ref[i];
    re += (double)ref[i] * est[i];
  }
  a = rr > 0.0 ? re / rr : 0.0;
  for (i = 0; i < n; i++) {
    double d = a * ref[i] - est[i];
    err += d * d;
  }
  return 10.0 * log10((a * a * rr + 1e-30) / (err + 1e-30));
}

#endif
