/* dump_hold.c - held vowels (see dump_hold.h). */
#include "dump_hold.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FS 48000
#define FRAME 480                 /* 10 ms: the frames whose power is measured */
#define CORR_HALF 960             /* autocorrelation over 40 ms around the frame */
#define LAG_MIN (FS / 500)        /* 2 ms: 500 Hz */
#define LAG_MAX (FS / 50)         /* 20 ms: 50 Hz */
#define TRIES 8
#define LOUD_RANGE 0.01           /* within 20 dB of the loudest frame (power ratio) */

static const double kPi = 3.14159265358979323846;

/* Period (samples) of the frame around c, 0 when not voiced: among lags whose
 * normalised autocorrelation is within 10 % of the best one, the shortest
 * local maximum inside the lag range (the true period rather than a
 * multiple of it). */
static int voiced_period(const float *x, int c) {
  double corr[LAG_MAX + 1];
  double best = 0.0, xx = 0.0, yy = 0.0;
  const float *a = x + c - CORR_HALF;
  const int n = 2 * CORR_HALF;
  for (int i = 0; i < n; i++) xx += (double)a[i] * a[i];
  for (int i = 0; i < n; i++) yy += (double)a[i + LAG_MIN] * a[i + LAG_MIN];
  for (int l = LAG_MIN; l <= LAG_MAX; l++) {
    double xy = 0;
    for (int i = 0; i < n; i++) xy += (double)a[i] * a[i + l];
    corr[l] = xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : 0.0;
    if (corr[l] > best) best = corr[l];
    /* the energy of a[l + 1 .. l + n] from that of a[l .. l + n - 1] */
    yy += (double)a[l + n] * a[l + n] - (double)a[l] * a[l];
  }
  if (best < HOLD_MIN_CORR) return 0;
  for (int l = LAG_MIN + 1; l < LAG_MAX; l++)
    if (corr[l] >= 0.9 * best && corr[l] >= corr[l + 1] && corr[l] >= corr[l - 1]) return l;
  return 0;
}

static double frame_power(const float *x, int start) {
  double e = 0;
  for (int i = 0; i < FRAME; i++) e += (double)x[start + i] * x[start + i];
  return e / FRAME;
}

/* Hann weight of a two-period grain at offset j in [-T, T]: adjacent grains
 * at hop T sum to 1. */
static double grain_w(int j, int T) { return 0.5 * (1.0 + cos(kPi * j / T)); }

int hold_vowel(DumpRng *r, float *x, int n, float *tmp, double hold_s, int from, int *end) {
  int lo = CORR_HALF + LAG_MAX;
  const int hi = n - CORR_HALF - 2 * LAG_MAX;
  if (from > lo) lo = from;
  if (hi <= lo) return 0;
  double loudest = 0;
  for (int s = 0; s + FRAME <= n; s += FRAME) {
    const double p = frame_power(x, s);
    if (p > loudest) loudest = p;
  }
  if (loudest <= 0) return 0;
  int c = 0, T = 0;
  for (int t = 0; t < TRIES && !T; t++) {
    c = lo + (int)rng_below(r, (uint64_t)(hi - lo));
    if (frame_power(x, c - FRAME / 2) >= LOUD_RANGE * loudest) T = voiced_period(x, c);
  }
  if (!T) return 0;
  /* grain positions: hop T at both ends (exact joins), in between T times
   * 1 + a slow drift of up to +-1 % + 0.3 % jitter: a held voice is not a
   * perfectly periodic one (a hum is) */
  const int want = (int)(hold_s * FS);
  const int max_grains = want / (T / 2) + 3;
  int *at = malloc(sizeof *at * (size_t)max_grains);
  if (!at) return 0;
  const double drift = rng_range(r, 0.0, 0.01), cycles = rng_range(r, 0.5, 3.0);
  const double phase = rng_range(r, 0, 2 * kPi);
  int K = 0;
  at[0] = c;
  while (at[K] - c < want - T && K + 2 < max_grains) {
    const double u = (double)(at[K] - c) / want;
    double hop = T;
    if (K > 0) hop *= 1.0 + drift * sin(2 * kPi * cycles * u + phase) + 0.003 * rng_gauss(r);
    at[K + 1] = at[K] + (int)lround(hop);
    K++;
  }
  at[K + 1] = at[K] + T; /* the last hop is T again */
  K++;
  const int H = at[K] - c;
  /* window sums of the grains over [c - T, c + H + T), to renormalise the
   * hold [c, c + H) where the drifting hops make them overlap by more or
   * less than one (the joins outside it sum to one exactly) */
  const int w0 = c - T, wn = H + 2 * T;
  float *wsum = c + H + T < n ? calloc((size_t)wn, sizeof *wsum) : NULL;
  if (!wsum) {
    free(at);
    return 0;
  }
  const double swell_db = rng_range(r, -3.0, 1.0);
  /* before the hold: x up to c, fading out over the last period as the first
   * grain fades in */
  for (int i = 0; i < c; i++) tmp[i] = i >= c - T ? (float)(x[i] * (1.0 - grain_w(i - c, T))) : x[i];
  memset(tmp + c, 0, sizeof *tmp * (size_t)(n - c));
  /* grains k = 0..K at at[k], each the two periods around c; the first and
   * last at full level so that both joins reconstruct x exactly */
  for (int k = 0; k <= K; k++) {
    double g = 1.0;
    if (k > 0 && k < K)
      g = pow(10.0, (swell_db * sin(kPi * k / K) + rng_range(r, -0.15, 0.15)) / 20.0);
    for (int j = -T; j < T; j++) {
      tmp[at[k] + j] += (float)(g * x[c + j] * grain_w(j, T));
      wsum[at[k] + j - w0] += (float)grain_w(j, T);
    }
  }
  /* after the hold: x from c on, shifted by H, fading in over its first
   * period as the last grain fades out */
  for (int m = c; m + H < n; m++)
    tmp[m + H] += m < c + T ? (float)(x[m] * (1.0 - grain_w(m - c, T))) : x[m];
  for (int i = T; i < wn - T; i++)
    if (wsum[i] > 1e-3f) tmp[w0 + i] /= wsum[i];
  memcpy(x, tmp, sizeof *x * (size_t)n);
  free(at);
  free(wsum);
  if (end) *end = c + H + T;
  return H;
}
