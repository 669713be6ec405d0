/* mix.c - see mix.h. */
#include "mix.h"

#include <math.h>

void pn_mix_apply(const PnBands *bt, const kiss_fft_cpx *Y, const kiss_fft_cpx *P,
                  const float *Ey, const float *r, const float *g,
                  PnMixScratch *scratch, kiss_fft_cpx *out) {
  float Ez[PN_BANDS], m[PN_BANDS];
  int k, b;
  pn_band_interp(bt, r, scratch->rk);
  for (k = 0; k < PN_FREQ; k++) {
    float a = scratch->rk[k];
    out[k].r = (1.0f - a) * Y[k].r + a * P[k].r;
    out[k].i = (1.0f - a) * Y[k].i + a * P[k].i;
  }
  pn_band_energy(bt, out, Ez);
  for (b = 0; b < PN_BANDS; b++) {
    /* 1e-20: guards 0/0 far below the 1e-10 power floor */
    float s = sqrtf((Ey[b] + 1e-20f) / (Ez[b] + 1e-20f));
    m[b] = g[b] * (s < PN_MIX_MAX_RENORM ? s : PN_MIX_MAX_RENORM);
  }
  pn_band_interp(bt, m, scratch->mk);
  for (k = 0; k < PN_FREQ; k++) {
    out[k].r *= scratch->mk[k];
    out[k].i *= scratch->mk[k];
  }
}
