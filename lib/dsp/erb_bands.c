/* erb_bands.c - see erb_bands.h. */
#include "erb_bands.h"

#include <assert.h>

const short pn_band_edges[PN_BANDS] = {
    0,  2,  4,  6,  8,  10, 12, 14,  16,  18,  21,  24,  28,  32,  37,  42,  48,
    55, 62, 71, 80, 91, 103, 117, 133, 150, 170, 192, 217, 246, 277, 314, 354, 400};



void pn_bands_init(PnBands *bt) {
  int b, k;
  double wsum[PN_BANDS] = {0};
  for (b = 0; b < PN_BANDS - 1; b++) {
    int len = pn_band_edges[b + 1] - pn_band_edges[b];
    for (k = pn_band_edges[b]; k < pn_band_edges[b + 1]; k++) {
      float f = (float)(k - pn_band_edges[b]) / (float)len;
      bt->band[k] = (unsigned char)b;
      bt->frac[k] = f;
      wsum[b] += 1.0 - f;
      wsum[b + 1] += f;
    }
  }
  for (k = pn_band_edges[PN_BANDS - 1]; k < PN_FREQ; k++) {
    /* band 33 flat: stored as segment 32 with full weight on band 33 */
    bt->band[k] = PN_BANDS - 2;
    bt->frac[k] = 1.0f;
    wsum[PN_BANDS - 1] += 1.0;
  }
  for (b = 0; b < PN_BANDS; b++) {
    bt->inv_wsum[b] = (float)(1.0 / (480.0 * wsum[b]));
    bt->wsum[b] = (float)wsum[b];
  }
  for (b = 0; b < PN_BANDS; b++) bt->centre_hz[b] = 50.0f * pn_band_edges[b];
}

float pn_band_weight(const PnBands *bt, int b, int k) {
  assert(b >= 0 && b < PN_BANDS && k >= 0 && k < PN_FREQ);
  if (bt->band[k] == b) return 1.0f - bt->frac[k];
  if (bt->band[k] + 1 == b) return bt->frac[k];
  return 0.0f;
}

#define CHUNK 4 /* bins per vectorised step inside a segment */

/* E[b] = sum_k w_b(k) v[k] / (480 sum_k w_b(k)). Segment by segment, in
 * chunks of 4 bins with 4 partial sums (the compiler vectorises the chunk
 * at the default flags); ~1.5 instructions per bin. */
static void band_sum(const PnBands *bt, const float *restrict v, float *restrict E) {
  const float *restrict frac = bt->frac;
  float carry = 0.0f;
  int b, k, q;
  for (b = 0; b < PN_BANDS; b++) {
    const int lo = pn_band_edges[b], hi = b + 1 < PN_BANDS ? pn_band_edges[b + 1] : PN_FREQ;
    float a4[CHUNK] = {0}, w4[CHUNK] = {0}, a, w;
    for (k = lo; k + CHUNK <= hi; k += CHUNK)
      for (q = 0; q < CHUNK; q++) {
        a4[q] += v[k + q];
        w4[q] += frac[k + q] * v[k + q];
      }
    a = (a4[0] + a4[1]) + (a4[2] + a4[3]);
    w = (w4[0] + w4[1]) + (w4[2] + w4[3]);
    for (; k < hi; k++) {
      a += v[k];
      w += frac[k] * v[k];
    }
    if (b + 1 < PN_BANDS) {
      E[b] = (carry + a - w) * bt->inv_wsum[b];
      carry = w;
    } else { /* flat top band: frac = 1 there */
      E[b] = (carry + a) * bt->inv_wsum[b];
    }
  }
}

/* p[k] = |X(k)|^2 */
static void power(const kiss_fft_cpx *restrict X, float *restrict p) {
  int k;
  for (k = 0; k < PN_FREQ - 1; k++) p[k] = X[k].r * X[k].r + X[k].i * X[k].i;
  p[PN_FREQ - 1] = X[PN_FREQ - 1].r * X[PN_FREQ - 1].r + X[PN_FREQ - 1].i * X[PN_FREQ - 1].i;
}

/* c[k] = Re{X(k) P*(k)} */
static void cross(const kiss_fft_cpx *restrict X, const kiss_fft_cpx *restrict P,
                  float *restrict c) {
  int k;
  for (k = 0; k < PN_FREQ - 1; k++) c[k] = X[k].r * P[k].r + X[k].i * P[k].i;
  c[PN_FREQ - 1] = X[PN_FREQ - 1].r * P[PN_FREQ - 1].r + X[PN_FREQ - 1].i * P[PN_FREQ - 1].i;
}

void pn_band_energy(const PnBands *bt, const kiss_fft_cpx *X, float *E) {
  float p[PN_FREQ];
  power(X, p);
  band_sum(bt, p, E);
}

/* band_sum() of two arrays at once (shared weights and loop overhead) */
static void band_sum2(const PnBands *bt, const float *restrict u, const float *restrict v,
                      float *restrict Eu, float *restrict Ev) {
  const float *restrict frac = bt->frac;
  float cu = 0.0f, cv = 0.0f;
  int b, k, q;
  for (b = 0; b < PN_BANDS; b++) {
    const int lo = pn_band_edges[b], hi = b + 1 < PN_BANDS ? pn_band_edges[b + 1] : PN_FREQ;
    float au4[CHUNK] = {0}, wu4[CHUNK] = {0}, av4[CHUNK] = {0}, wv4[CHUNK] = {0};
    float au, wu, av, wv;
    for (k = lo; k + CHUNK <= hi; k += CHUNK)
      for (q = 0; q < CHUNK; q++) {
        au4[q] += u[k + q];
        wu4[q] += frac[k + q] * u[k + q];
        av4[q] += v[k + q];
        wv4[q] += frac[k + q] * v[k + q];
      }
    au = (au4[0] + au4[1]) + (au4[2] + au4[3]);
    wu = (wu4[0] + wu4[1]) + (wu4[2] + wu4[3]);
    av = (av4[0] + av4[1]) + (av4[2] + av4[3]);
    wv = (wv4[0] + wv4[1]) + (wv4[2] + wv4[3]);
    for (; k < hi; k++) {
      au += u[k];
      wu += frac[k] * u[k];
      av += v[k];
      wv += frac[k] * v[k];
    }
    if (b + 1 < PN_BANDS) {
      Eu[b] = (cu + au - wu) * bt->inv_wsum[b];
      Ev[b] = (cv + av - wv) * bt->inv_wsum[b];
      cu = wu;
      cv = wv;
    } else {
      Eu[b] = (cu + au) * bt->inv_wsum[b];
      Ev[b] = (cv + av) * bt->inv_wsum[b];
    }
  }
}

void pn_band_energy_xcorr(const PnBands *bt, const kiss_fft_cpx *X,
                          const kiss_fft_cpx *P, float *EP, float *C) {
  float u[PN_FREQ], v[PN_FREQ];
  power(P, u);
  cross(X, P, v);
  band_sum2(bt, u, v, EP, C);
}

void pn_band_interp(const PnBands *bt, const float *v, float *out) {
  const float *restrict frac = bt->frac;
  float *restrict o = out;
  int b, k;
  for (b = 0; b < PN_BANDS - 1; b++) {
    const float lo = v[b], d = v[b + 1] - v[b];
    const int hi = pn_band_edges[b + 1];
    for (k = pn_band_edges[b]; k + CHUNK <= hi; k += CHUNK) { /* one 4-wide step */
      o[k] = lo + frac[k] * d;
      o[k + 1] = lo + frac[k + 1] * d;
      o[k + 2] = lo + frac[k + 2] * d;
      o[k + 3] = lo + frac[k + 3] * d;
    }
    for (; k < hi; k++) o[k] = lo + frac[k] * d;
  }
  {
    const float top = v[PN_BANDS - 1];
    for (k = pn_band_edges[PN_BANDS - 1]; k < PN_FREQ; k++) o[k] = top;
  }
}
