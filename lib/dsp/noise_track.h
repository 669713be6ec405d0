/*
 * noise_track.h - a per-band estimate N_b of the noise power under the input,
 * the reference of the network's a-posteriori SNR features (net_features.h,
 * 70..103).
 *
 * Input  E_b(t): band mean power per bin of frame t, the E of the band
 *        features (channel.h; white noise of variance s^2 reads s^2), one
 *        frame per 10 ms step. Output N_b(t) in the same unit.
 *
 * Start    N = E of the first frame that is not silent; over the first
 *          PN_NOISE_WARM frames (0.2 s) N is the mean power of the frames so
 *          far (one frame of a narrow band is too random a start: its power
 *          spreads over +-5 dB and more).
 * Then, per band and frame, two rules:
 *   slow mean  N += min(a (M - N), c max(N, 1e-10)),
 *              M = mean E of the last PN_NOISE_RUN = 10 frames,
 *              a = PN_NOISE_AVG (time constant 2 s): a first-order mean of
 *              the power, so in steady noise N settles on the mean band
 *              power, not on a low quantile as a minimum tracker does. The
 *              upward step is capped at c = PN_NOISE_RISE (+0.03 dB per
 *              frame, 3 dB per second); the cap binds when M > (1 + c / a) N
 *              = 2.39 N (3.8 dB above N). M rather than E: a narrow band's
 *              power in one frame is so skewed (a chi-square of 1.5 to 4
 *              degrees of freedom in bands 0..9) that the capped steps of
 *              single frames would bias N low by up to 1 dB; those of the
 *              10-frame mean bias it by less than 0.2 dB.
 *   drop       a frame with E < N / 2 (3 dB below N) counts towards a drop;
 *              once PN_NOISE_SKIP + PN_NOISE_RUN = 12 frames in a row have
 *              counted, N = min(N, mean E of the last PN_NOISE_RUN = 10
 *              frames), and so on every frame while the run lasts. The first
 *              PN_NOISE_SKIP frames of the run are left out of the mean: an
 *              analysis window spans two hops, so the frames at a step down
 *              still hold some of the louder signal. A run may also start
 *              with a few frames of the louder signal that happened to fall
 *              3 dB below N (a narrow band's power often does), so
 *              PN_NOISE_RUN frames after the run's last full-length frame N
 *              looks once more: N = min(N, mean of those 10 frames).
 * Neither rule raises N by more than the cap: from the end of the warm-up on,
 * however loud the input (a talker, a tone, a louder noise), N rises at most
 * 3 dB per second, and 2 s of continuous speech over steady noise lift it by
 * 6 dB at most (less for real speech, whose pauses pull it back).
 *
 * Silence  frames whose mean band power is below PN_NOISE_SILENT (-90 dB,
 *          the silence of level_track.h: digital silence, or a gap the
 *          denoiser zeroed) change nothing: they say nothing about the noise,
 *          and following them down would leave N to climb back at 3 dB/s.
 * Range    E_b is read as 0 when negative or NaN and as PN_NOISE_MAX (100 dB
 *          over full scale) above it; N_b stays in [0, PN_NOISE_MAX].
 *
 * Figures (white noise through the chain's own analysis; test_noise_track.c
 * prints them):
 *   steady noise  N within 1 dB of the band's mean power at every frame from
 *                 3 s on (0.6 dB at most in the test's 10 s); the bias of its
 *                 mean is within +-0.25 dB in every band (-0.1..+0.23 dB over
 *                 those 7 s, whose own sampling spread is about 0.1 dB)
 *   level drop    a step 20 dB down is followed within 0.2 s: N then lies
 *                 within about +-2 dB of the new mean (the spread of a
 *                 10-frame mean of a narrow band's power), -0.3 dB typical
 *                 (the second look keeps the lower of two means); drops of
 *                 less than 3 dB are followed by the slow mean alone
 *   level rise    +3 dB/s while E > 2.39 N, then the 2 s slow mean: a noise
 *                 10 dB louder is followed to 1 dB in about 5 s
 * Deterministic; a fixed-size state, nothing allocated.
 */
#ifndef NOISE_TRACK_H
#define NOISE_TRACK_H

#include "dsp_const.h"

#define PN_NOISE_WARM 20          /* frames of the start's plain mean */
#define PN_NOISE_AVG 0.00498752f  /* 1 - exp(-10 ms / 2 s) */
#define PN_NOISE_RISE 0.00693167f /* 10^(0.03 / 10) - 1: +0.03 dB per frame */
#define PN_NOISE_DROP 0.5f        /* E < N / 2 counts towards a drop */
#define PN_NOISE_RUN 10           /* frames averaged after a drop */
#define PN_NOISE_SKIP 2           /* first frames of a run left out */
#define PN_NOISE_SILENT 1e-9f     /* mean band power of a silent frame */
#define PN_NOISE_MAX 1e10f        /* largest band power read */
#define PN_NOISE_CAP_FLOOR 1e-10f /* the cap's base for N below it (-100 dB,
                                     the features' floor), so that a band
                                     at 0 can rise */

typedef struct {
  float noise[PN_BANDS];                /* N_b(t), band mean power per bin */
  float recent[PN_NOISE_RUN][PN_BANDS]; /* E of the last non-silent frames */
  int run[PN_BANDS];    /* frames in a row with E < N / 2, at most
                           PN_NOISE_SKIP + PN_NOISE_RUN */
  int second[PN_BANDS]; /* frames until the second look, 0: none due */
  int pos;              /* slot of the newest frame in recent */
  int frames;           /* non-silent frames so far, at most PN_NOISE_WARM;
                           0: not started */
} PnNoiseTrack;

void pn_noise_track_reset(PnNoiseTrack *nt);

/* Pushes the band powers E[PN_BANDS] of the newest frame (any floats, see
 * Range). prior[PN_BANDS] receives the estimate the frame is judged against,
 * N_b(t - 1) from the frames before it (E itself, read as above, until the
 * first non-silent frame); then the state moves on to N_b(t). */
void pn_noise_track_push(PnNoiseTrack *nt, const float *E, float *prior);

#endif
