/*
 * frontend.h - one analysis step of the noisy input, shared by the denoiser
 * (lib/percepnet.c) and the training dump (lib/percepnet_train.c), so that
 * the features the network is trained on are computed by the code it runs
 * with: push the frame, pitch candidates, Viterbi decision for the enhanced
 * frame, its comb filter and coherences, the input level and the noise
 * estimate, the PN_FEATURES features.
 */
#ifndef FRONTEND_H
#define FRONTEND_H

#include "channel.h"
#include "level_track.h"
#include "net_features.h"
#include "noise_track.h"
#include "pitch_search.h"
#include "pitch_track.h"

typedef struct {
  PnPitchSearch search;
  PnPitchTrack track;
  PnLevelTrack level; /* reference of the band-energy features */
  PnNoiseTrack noise; /* reference of the SNR features */
} PnFrontState;

void pn_front_state_reset(PnFrontState *ps);

/* in: PN_FRAME samples (any floats; sanitised here). Returns the pitch
 * decision of the enhanced frame in *pitch, its rounded period (the comb's
 * period, PN_PERIOD_MIN..PN_PERIOD_MAX) and writes PN_FEATURES values. */
int pn_frontend_step(PnChannel *ch, PnFrontState *ps, PnStft *stft, const PnBands *bands,
                     const float *in, PnPitch *pitch, float *features);

#endif
