/*
 * gains.h - band-gain safeguards applied after the network (or the oracle):
 *
 * Decay limit: a band gain may fall by at most PN_GAIN_DECAY per 10 ms frame
 * (x0.5 = -6 dB/frame, i.e. 60 dB in 100 ms): speech tails and the quiet
 * frames inside words are not chopped by one low estimate, while a noise
 * burst after speech is still cut within a few frames. Rises are immediate.
 *
 * Attenuation limit: a floor on the final gains (after the postfilter), so
 * every band keeps at least 10^(-atten_db / 20) of its (pitch-filtered)
 * input.
 */
#ifndef GAINS_H
#define GAINS_H

#include "dsp_const.h"

#define PN_GAIN_DECAY 0.5f

typedef struct {
  float prev[PN_BANDS]; /* last limited gains; 0 at start (no constraint) */
} PnGainState;

void pn_gains_reset(PnGainState *gs);

/* g[b] = max(g[b], PN_GAIN_DECAY prev[b]); prev = g. NaN gains read 1. */
void pn_gains_decay_limit(PnGainState *gs, float *g);

/* g[b] = max(g[b], floor_lin); floor_lin <= 0 does nothing. */
void pn_gains_floor(float *g, float floor_lin);

#endif
