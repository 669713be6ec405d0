/* frontend.c - see frontend.h. */
#include "frontend.h"

#include <math.h>

void pn_front_state_reset(PnFrontState *ps) {
  pn_pitch_search_reset(&ps->search);
  pn_pitch_track_reset(&ps->track);
  pn_level_track_reset(&ps->level);
  pn_noise_track_reset(&ps->noise);
}

int pn_frontend_step(PnChannel *ch, PnFrontState *ps, PnStft *stft, const PnBands *bands,
                     const float *in, PnPitch *pitch, float *features) {
  PnPitchCands cands;
  int period;
  pn_channel_push(ch, stft, bands, in);
  pn_pitch_search_frame(&ps->search, ch->hist + PN_HIST - PN_FRAME, &cands);
  pn_pitch_track_push(&ps->track, &cands, pitch);
  period = (int)lrintf(pitch->period);
  if (period < PN_PERIOD_MIN) period = PN_PERIOD_MIN;
  if (period > PN_PERIOD_MAX) period = PN_PERIOD_MAX;
  pn_channel_comb(ch, stft, bands, period);
  {
    const float *E = pn_channel_energy(ch, 0);
    float noise[PN_BANDS];
    pn_noise_track_push(&ps->noise, E, noise);
    pn_features_compute(E, pn_level_track_push(&ps->level, E), noise, ch->coh,
                        pitch->period, pitch->corr, features);
  }
  return period;
}
