/*
 * pitch_track.h - fixed-lag Viterbi pitch tracker.
 *
 * States per frame: the frame's candidates (pitch_search.h) plus one
 * "unvoiced" state. Costs (dimensionless, correlation units):
 *   voiced local     1 - c + PN_TRACK_SHORT_BIAS log2(T / 60)
 *   unvoiced local   1 - PN_TRACK_VOICING (voiced wins when c > ~0.45)
 *   voiced -> voiced PN_TRACK_JUMP |log2(T_new / T_old)| (an octave = 0.6,
 *                    a 5 % glide per 10 ms = 0.04)
 *   voicing switch   PN_TRACK_SWITCH
 * Frame f's decision is taken when frame f + 2 (the look-ahead) has been
 * scored, by backtracking from the best state of frame f + 2.
 */
#ifndef PITCH_TRACK_H
#define PITCH_TRACK_H

#include "pitch_search.h"

#define PN_TRACK_SHORT_BIAS 0.08f
#define PN_TRACK_VOICING 0.45f
#define PN_TRACK_JUMP 0.6f
#define PN_TRACK_SWITCH 0.1f
#define PN_TRACK_DEPTH (PN_LOOKAHEAD + 1)
#define PN_TRACK_STATES (PN_PITCH_CANDS + 1)

typedef struct {
  float period; /* samples at 48 kHz, PN_PERIOD_MIN..PN_PERIOD_MAX */
  float corr;   /* normalised correlation at that period, [0, 1] */
  int voiced;   /* 1 when the tracker chose a voiced state */
} PnPitch;

typedef struct {
  PnPitchCands cand[PN_TRACK_DEPTH]; /* ring, newest at pos */
  unsigned char back[PN_TRACK_DEPTH][PN_TRACK_STATES];
  float cost[PN_TRACK_STATES]; /* cumulative costs of the newest frame */
  int pos;
  int frames;
  float last_period; /* the last voiced decision, for unvoiced frames */
} PnPitchTrack;

void pn_pitch_track_reset(PnPitchTrack *tr);

/* Scores the newest frame's candidates and returns the decision for the
 * frame PN_LOOKAHEAD frames back (corr 0, unvoiced, while the track fills). */
void pn_pitch_track_push(PnPitchTrack *tr, const PnPitchCands *cands,
                         PnPitch *decided);

#endif
