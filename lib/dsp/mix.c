/* mix.c - see mix.h. */
#include "mix.h"

#include <math.h>

/* out(k) = m(k) (Y + r(k) (P - Y)) over bins [lo, hi), r and m linear in
 * frac between (r0, m0) and (r0 + dr, m0 + dm): interpolation, mixing and
 * gain in one pass. */
static void mix_segment(const kiss_fft_cpx *restrict Y, const kiss_fft_cpx *restrict P,
                        const float *restrict frac, int lo, int hi, float r0, float dr,
                        float m0, float dm, kiss_fft_cpx *restrict out) {
  int k;
  for (k = lo; k < hi; k++) {
    const float r = r0 + frac[k] * dr, m = m0 + frac[k] * dm;
    out[k].r = m * (Y[k].r + r * (P[k].r - Y[k].r));
    out[k].i = m * (Y[k].i + r * (P[k].i - Y[k].i));
  }
}

void pn_mix_apply(const PnBands *bt, const kiss_fft_cpx *Y, const kiss_fft_cpx *P,
                  const float *Ey, const float *Ep, const float *C,
                  const float *r, const float *g, kiss_fft_cpx *out) {
  float m[PN_BANDS];
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    const float a = r[b], c = 1.0f - a;
    float ez = c * c * Ey[b] + a * a * Ep[b] + 2.0f * a * c * C[b];
    /* 1e-20: guards 0/0 far below the 1e-10 power floor */
    float s = sqrtf((Ey[b] + 1e-20f) / ((ez > 0.0f ? ez : 0.0f) + 1e-20f));
    m[b] = g[b] * (s < PN_MIX_MAX_RENORM ? s : PN_MIX_MAX_RENORM);
  }
  for (b = 0; b < PN_BANDS - 1; b++)
    mix_segment(Y, P, bt->frac, pn_band_edge(b), pn_band_edge(b + 1), r[b], r[b + 1] - r[b],
                m[b], m[b + 1] - m[b], out);
  {
    /* bins 400..480: band 33 alone, constant r and m */
    const float rt = r[PN_BANDS - 1], mt = m[PN_BANDS - 1];
    const kiss_fft_cpx *restrict y = Y, *restrict p = P;
    kiss_fft_cpx *restrict o = out;
    int k;
    for (k = pn_band_edge(PN_BANDS - 1); k < PN_FREQ; k++) {
      o[k].r = mt * (y[k].r + rt * (p[k].r - y[k].r));
      o[k].i = mt * (y[k].i + rt * (p[k].i - y[k].i));
    }
  }
}
