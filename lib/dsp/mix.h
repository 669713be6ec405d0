/*
 * mix.h - applies comb strengths and gains to the enhanced frame:
 *   Z(k) = (1 - r(k)) Y(k) + r(k) P(k)          r: strengths to bins
 *   s_b  = sqrt(E_Y,b / E_Z,b), at most PN_MIX_MAX_RENORM
 *                                               (the comb changes the ratio
 *                                                of harmonics to noise, not
 *                                                the band envelope)
 *   out(k) = m(k) Z(k),  m = bins of g_b s_b
 */
#ifndef MIX_H
#define MIX_H

#include "erb_bands.h"

#define PN_MIX_MAX_RENORM 4.0f /* +12 dB */

typedef struct {
  float rk[PN_FREQ];
  float mk[PN_FREQ];
} PnMixScratch;

void pn_mix_apply(const PnBands *bt, const kiss_fft_cpx *Y, const kiss_fft_cpx *P,
                  const float *Ey, const float *r, const float *g,
                  PnMixScratch *scratch, kiss_fft_cpx *out);

#endif
