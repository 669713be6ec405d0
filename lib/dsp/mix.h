/*
 * mix.h - applies comb strengths and gains to the enhanced frame:
 *   Z(k) = (1 - r(k)) Y(k) + r(k) P(k)          r: strengths to bins
 *   s_b  = sqrt(E_Y,b / E_Z,b), at most PN_MIX_MAX_RENORM, with E_Z,b
 *          taken at the band's own strength r_b:
 *          (1 - r_b)^2 E_Y + r_b^2 E_P + 2 r_b (1 - r_b) C_b
 *          (exact where r(k) is flat; r varies linearly between band
 *          centres, so the renormalisation is approximate in between)
 *                                               (the comb changes the ratio
 *                                                of harmonics to noise, not
 *                                                the band envelope)
 *   out(k) = m(k) Z(k),  m = bins of g_b s_b
 */
#ifndef MIX_H
#define MIX_H

#include "erb_bands.h"

#define PN_MIX_MAX_RENORM 4.0f /* +12 dB */

void pn_mix_apply(const PnBands *bt, const kiss_fft_cpx *Y, const kiss_fft_cpx *P,
                  const float *Ey, const float *Ep, const float *C,
                  const float *r, const float *g, kiss_fft_cpx *out);

#endif
