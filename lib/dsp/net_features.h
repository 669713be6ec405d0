/*
 * net_features.h - the 104 network inputs of step t (PN_FEATURES).
 *
 *  index   meaning                                   unit / formula               range
 *  0..33   log power of band b, newest frame t,      0.5 log10(E_b + 1e-10) - L   [-8, 8]
 *          relative to the input's tracked level L   (1 = 20 dB; speech frames
 *          (level_track.h), so that a gain on the     about -3..+1.5, pauses
 *          input leaves them unchanged               lower)
 *          (E_b: band mean power per bin, full-scale white noise = 1;
 *           1e-10 = -100 dB, about the 16-bit quantisation noise floor)
 *  34..67  pitch coherence of band b, frame t - 2    Re<Y S*>_b / sqrt(E_Y E_S)   [0, 1]
 *          (Y: noisy spectrum, S: spectrum of the comb without its
 *           centre tap, see channel.h: white noise ~0, steady voicing ~1)
 *  68      pitch period of frame t - 2               log2(T / 240), T in          [-2, 1.68]
 *                                                    48 kHz samples 60..768
 *  69      pitch correlation of frame t - 2          normalised correlation       [0, 1]
 *                                                    at T (0 when unvoiced and
 *                                                    no candidate)
 *  70..103 a-posteriori SNR of band b, newest        0.5 log10((E_b + 1e-10) /    [-8, 8]
 *          frame t: its power over the noise          (N_b + 1e-10))
 *          estimate N_b of the frames before it      (1 = 20 dB; ~0 in steady
 *          (noise_track.h)                           noise, speech above)
 * Every value is clamped to [-8, 8] (NaN -> 0); the ranges of 34..69 hold
 * for any finite input.
 *
 * Models read the first pn_model_features() of these: 104, or 70 for the
 * models made before the SNR features (PN_FEATURES_BASE), which see exactly
 * the inputs they were trained on.
 */
#ifndef NET_FEATURES_H
#define NET_FEATURES_H

#include "dsp_const.h"

#define PN_FEATURES 104      /* all inputs, the table above */
#define PN_FEATURES_BASE 70  /* 0..69: level, coherence and pitch features */
#define PN_FEAT_SNR PN_FEATURES_BASE /* index of the band-0 SNR feature */
#define PN_FEAT_LOG_FLOOR 1e-10f

/* level: L(t) of level_track.h for the frame of E_new; noise: N_b of
 * noise_track.h from the frames before it (pn_noise_track_push's prior). */
void pn_features_compute(const float *E_new, float level, const float *noise,
                         const float *coh, float period, float corr, float *features);

#endif
