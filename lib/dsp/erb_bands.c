/* erb_bands.c - see erb_bands.h. */
#include "erb_bands.h"

#include <assert.h>

static const short edges[PN_BANDS] = {
    0,  2,  4,  6,  8,  10, 12, 14,  16,  18,  21,  24,  28,  32,  37,  42,  48,
    55, 62, 71, 80, 91, 103, 117, 133, 150, 170, 192, 217, 246, 277, 314, 354, 400};

int pn_band_edge(int b) {
  assert(b >= 0 && b < PN_BANDS);
  return edges[b];
}

void pn_bands_init(PnBands *bt) {
  int b, k;
  double wsum[PN_BANDS] = {0};
  for (b = 0; b < PN_BANDS - 1; b++) {
    int len = edges[b + 1] - edges[b];
    for (k = edges[b]; k < edges[b + 1]; k++) {
      float f = (float)(k - edges[b]) / (float)len;
      bt->band[k] = (unsigned char)b;
      bt->frac[k] = f;
      wsum[b] += 1.0 - f;
      wsum[b + 1] += f;
    }
  }
  for (k = edges[PN_BANDS - 1]; k < PN_FREQ; k++) {
    /* band 33 flat: stored as segment 32 with full weight on band 33 */
    bt->band[k] = PN_BANDS - 2;
    bt->frac[k] = 1.0f;
    wsum[PN_BANDS - 1] += 1.0;
  }
  for (b = 0; b < PN_BANDS; b++) {
    bt->inv_wsum[b] = (float)(1.0 / (480.0 * wsum[b]));
    bt->wsum[b] = (float)wsum[b];
    bt->centre_hz[b] = 50.0f * edges[b];
  }
}

float pn_band_weight(const PnBands *bt, int b, int k) {
  assert(b >= 0 && b < PN_BANDS && k >= 0 && k < PN_FREQ);
  if (bt->band[k] == b) return 1.0f - bt->frac[k];
  if (bt->band[k] + 1 == b) return bt->frac[k];
  return 0.0f;
}

void pn_band_energy(const PnBands *bt, const kiss_fft_cpx *X, float *E) {
  int b, k;
  float acc[PN_BANDS + 1] = {0};
  for (k = 0; k < PN_FREQ; k++) {
    float p = X[k].r * X[k].r + X[k].i * X[k].i;
    float f = bt->frac[k];
    int lo = bt->band[k];
    acc[lo] += (1.0f - f) * p;
    acc[lo + 1] += f * p;
  }
  for (b = 0; b < PN_BANDS; b++) E[b] = acc[b] * bt->inv_wsum[b];
}

void pn_band_energy_xcorr(const PnBands *bt, const kiss_fft_cpx *X,
                          const kiss_fft_cpx *P, float *EX, float *EP,
                          float *C) {
  int b, k;
  float ax[PN_BANDS] = {0}, ap[PN_BANDS] = {0}, ac[PN_BANDS] = {0};
  for (k = 0; k < PN_FREQ; k++) {
    float px = X[k].r * X[k].r + X[k].i * X[k].i;
    float pp = P[k].r * P[k].r + P[k].i * P[k].i;
    float c = X[k].r * P[k].r + X[k].i * P[k].i;
    float f = bt->frac[k];
    int lo = bt->band[k];
    assert(lo + 1 < PN_BANDS);
    ax[lo] += (1.0f - f) * px;
    ax[lo + 1] += f * px;
    ap[lo] += (1.0f - f) * pp;
    ap[lo + 1] += f * pp;
    ac[lo] += (1.0f - f) * c;
    ac[lo + 1] += f * c;
  }
  for (b = 0; b < PN_BANDS; b++) {
    EX[b] = ax[b] * bt->inv_wsum[b];
    EP[b] = ap[b] * bt->inv_wsum[b];
    C[b] = ac[b] * bt->inv_wsum[b];
  }
}

void pn_band_interp(const PnBands *bt, const float *v, float *out) {
  int k;
  for (k = 0; k < PN_FREQ; k++) {
    int lo = bt->band[k];
    float f = bt->frac[k];
    out[k] = (1.0f - f) * v[lo] + f * v[lo + 1];
  }
}
