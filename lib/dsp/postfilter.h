/*
 * postfilter.h - envelope postfilter on the band gains.
 *
 * Warping g_w = g sin(pi g / 2) leaves 0 and 1 alone and pushes the bands in
 * between further down (g = 0.5 -> 0.35). Global compensation restores part
 * of the lost loudness: with E0 = sum_b g_b^2 W_b E_b and
 * E1 = sum_b g_w,b^2 W_b E_b (frame energies with the original and warped
 * gains; E_b band mean power, W_b band width in bins), R = E0 / E1 and
 *   G = sqrt((1 + beta) R / (1 + beta R^2)),  beta = 0.02,
 * every gain becomes G g_w. G = 1 at R = 1, at most 1.9 (R = 7.1); final
 * gains are capped at PN_POSTFILTER_MAX_GAIN.
 */
#ifndef POSTFILTER_H
#define POSTFILTER_H

#include "erb_bands.h"

#define PN_POSTFILTER_BETA 0.02f
#define PN_POSTFILTER_MAX_GAIN 1.0f

/* In place on g[34] (in [0, 1]); E: band mean powers of the input frame. */
void pn_postfilter(const PnBands *bt, const float *E, float *g);

#endif
