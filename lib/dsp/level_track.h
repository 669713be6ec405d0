/*
 * level_track.h - the input's slowly tracked level, the reference of the
 * network's band-energy features (net_features.h), so that the same signal
 * at any gain gives the network the same inputs.
 *
 * Frame level  l(t) = 0.5 log10(mean over the 34 bands of E_b(t) + 1e-10)
 *              (the feature unit: 1 = 20 dB; full-scale white noise = 0).
 * Track        L(t) = L(t-1) + a (l(t) - L(t-1)),
 *              a = PN_LEVEL_RISE when l(t) > L(t-1) (time constant 300 ms),
 *                  PN_LEVEL_FALL otherwise (time constant 4 s),
 *              so L sits near the level of the loud frames (the speech, at
 *              any SNR above about -5 dB) and sinks slowly in long pauses.
 * Start        L = l of the first frame that is not silent.
 * Silence      frames with l(t) < PN_LEVEL_SILENT (mean band power below
 *              -90 dB: digital silence, or a gap the denoiser zeroed) leave
 *              L as it is; before the first non-silent frame L is l(t).
 *
 * Shift equivariance: scaling the input by k (k^2 in power, 10 log10 k^2 dB)
 * adds 0.5 log10 k^2 to every l(t) and hence to L(t), exactly (up to float
 * rounding, about 1e-6), as long as every frame stays on the same side of
 * the silence threshold and E_b >> 1e-10 (above -100 dB). The features
 * l_b(t) - L(t) are then unchanged by the gain.
 */
#ifndef LEVEL_TRACK_H
#define LEVEL_TRACK_H

#include "dsp_const.h"

#define PN_LEVEL_RISE 0.0327839f  /* 1 - exp(-10 ms / 300 ms) */
#define PN_LEVEL_FALL 0.00249688f /* 1 - exp(-10 ms / 4 s) */
#define PN_LEVEL_SILENT (-4.5f)   /* 0.5 log10(1e-9): -90 dB */

typedef struct {
  float level; /* L(t), feature units; valid when started */
  int started; /* 0 until the first non-silent frame */
} PnLevelTrack;

void pn_level_track_reset(PnLevelTrack *lt);

/* Pushes the band energies E[PN_BANDS] of the newest frame and returns L(t),
 * the reference to subtract from its band log-energies (feature units). */
float pn_level_track_push(PnLevelTrack *lt, const float *E);

#endif
