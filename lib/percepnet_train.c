/*
 * percepnet_train.c - features and targets for training (percepnet_train.h),
 * computed by the chain the denoiser runs: the noisy signal's pitch track
 * drives the comb filter of both signals, so the strength targets are
 * reachable at run time.
 *
 * Row semantics (step t, counting from 0 after create/reset):
 *   features[104] see lib/dsp/net_features.h (frame t energies and SNRs,
 *                 frame t-2 pitch)
 *   gains[34]     ideal g_b of output frame t-2 in [0, 1]; -1 when the band's
 *                 centre lies above band_limit_hz or both band powers are
 *                 below PN_TARGET_SILENCE (-95 dB)
 *   strengths[34] ideal r_b of output frame t-2 in [0, 1]; -1 where the gain
 *                 is -1
 *   vad           1 speech, 0 no speech, -1 unsure (lib/dsp/targets.h)
 * Rows with t < 2 (return value 0) have all targets -1.
 */
#include "percepnet_train.h"

#include "frontend.h"
#include "targets.h"

#include <math.h>
#include <stdlib.h>

struct PercepnetTrain {
  PnStft stft;
  PnBands bands;
  PnChannel noisy;
  PnChannel clean;
  PnFrontState front;
  PnVadTarget vad;
  long frames;
};

_Static_assert(PERCEPNET_NB_BANDS == PN_BANDS, "band count");
_Static_assert(PERCEPNET_FRAME_SIZE == PN_FRAME, "frame size");

PercepnetTrain *percepnet_train_create(void) {
  PercepnetTrain *tr = calloc(1, sizeof(*tr));
  if (!tr) return NULL;
  if (pn_stft_init(&tr->stft) != PN_DSP_OK) {
    free(tr);
    return NULL;
  }
  pn_bands_init(&tr->bands);
  percepnet_train_reset(tr);
  return tr;
}

void percepnet_train_destroy(PercepnetTrain *tr) {
  if (!tr) return;
  pn_stft_free(&tr->stft);
  free(tr);
}

void percepnet_train_reset(PercepnetTrain *tr) {
  pn_channel_reset(&tr->noisy);
  pn_channel_reset(&tr->clean);
  pn_front_state_reset(&tr->front);
  pn_vad_target_reset(&tr->vad);
  tr->frames = 0;
}

/* Marks "don't care" bands and returns the VAD target. Shared with nothing
 * else: the oracle mode uses the unmasked targets. */
static float mask_targets(PercepnetTrain *tr, const float *Ey, const float *Ex,
                          float band_limit_hz, float *gains, float *strengths) {
  int b;
  float power = 0.0f;
  for (b = 0; b < PN_BANDS; b++) {
    int silent = Ey[b] < PN_TARGET_SILENCE && Ex[b] < PN_TARGET_SILENCE;
    int above = band_limit_hz > 0.0f && tr->bands.centre_hz[b] > band_limit_hz;
    if (silent || above) {
      gains[b] = -1.0f;
      strengths[b] = -1.0f;
    }
    power += Ex[b] * tr->bands.wsum[b];
  }
  return pn_vad_target(&tr->vad, power / PN_FREQ);
}

int percepnet_train_frame(PercepnetTrain *tr, const float *noisy,
                          const float *clean, float band_limit_hz,
                          float *features, float *gains, float *strengths,
                          float *vad) {
  PnPitch pitch;
  int period;
  if (!tr || !noisy || !clean || !features || !gains || !strengths || !vad)
    return 0;
  period = pn_frontend_step(&tr->noisy, &tr->front, &tr->stft, &tr->bands, noisy,
                            &pitch, features);
  /* the clean reference: same frame, filtered with the noisy signal's pitch */
  pn_channel_push(&tr->clean, &tr->stft, &tr->bands, clean);
  pn_channel_comb(&tr->clean, &tr->stft, &tr->bands, period);
  tr->frames++;
  if (tr->frames <= PN_LOOKAHEAD) {
    int b;
    for (b = 0; b < PN_BANDS; b++) gains[b] = strengths[b] = -1.0f;
    *vad = -1.0f;
    return 0;
  }
  {
    const float *Ey = pn_channel_energy(&tr->noisy, PN_LOOKAHEAD);
    const float *Ex = pn_channel_energy(&tr->clean, PN_LOOKAHEAD);
    pn_targets_compute(Ey, Ex, tr->noisy.coh, tr->clean.coh, period, gains,
                       strengths);
    *vad = mask_targets(tr, Ey, Ex, band_limit_hz, gains, strengths);
  }
  return 1;
}
