/*
 * pitch_search.h - per-frame pitch candidates by normalised correlation.
 *
 * The input (48 kHz) is decimated to 12 kHz (7-tap triangular low-pass,
 * zeros at 12 and 24 kHz), high-passed (2nd-order Butterworth, 100 Hz: hum
 * and rumble correlate at every short lag; voices below 100 Hz are still
 * found from their harmonics) and partly whitened by an order-4 LPC inverse
 * filter computed on the 40 ms history each frame (lag window 100 Hz,
 * -40 dB white-noise correction, bandwidth expansion 0.5^k: full whitening
 * lets the noise above the speech's bandwidth dominate at 10 dB SNR). The whitened signal is decimated to 6 kHz ([1 2 1]/4). The coarse search runs at
 * 6 kHz over lags 8..96 (48 kHz periods 64..768) on a 20 ms window (the
 * newest analysis window); the two best local maxima and the sub-multiples
 * T/2, T/3, ... (T >= 60) of the best (up to PN_PITCH_CANDS in all) are
 * refined at 12 kHz over +-2 lags with a parabolic fit, giving periods in
 * 48 kHz samples with about +-1 sample error and the normalised correlation
 * c = sum x(n) x(n-T) / sqrt(sum x(n)^2 sum x(n-T)^2) at the best lag.
 * Periods 60..63 (f0 750-800 Hz) come from the refine step near lag 8.
 */
#ifndef PITCH_SEARCH_H
#define PITCH_SEARCH_H

#include "dsp_const.h"

#define PN_PITCH_CANDS 6
#define PN_X12_LEN 480 /* 12 kHz history: window 240 + lags up to 195 */
#define PN_X6_LEN 240  /* 6 kHz history: window 120 + lags up to 97 */

typedef struct {
  float period; /* samples at 48 kHz, PN_PERIOD_MIN..PN_PERIOD_MAX */
  float corr;   /* normalised correlation, [-1, 1] */
} PnPitchCand;

typedef struct {
  int n; /* 0..PN_PITCH_CANDS, sorted by decreasing corr */
  PnPitchCand c[PN_PITCH_CANDS];
} PnPitchCands;

typedef struct {
  float tail48[3];
  float hp_b[3], hp_a[2]; /* high-pass biquad at 12 kHz */
  float hp_x[2], hp_y[2]; /* its memory */
  float x12[PN_X12_LEN]; /* 12 kHz history */
  float e12[PN_X12_LEN]; /* whitened, recomputed every frame */
  float x6[PN_X6_LEN];   /* 6 kHz decimation of e12, recomputed */
} PnPitchSearch;

void pn_pitch_search_reset(PnPitchSearch *ps);

/* Consumes the newest PN_FRAME samples (finite, |x| <= PN_INPUT_CLAMP) and
 * returns the candidates of the window ending with them. */
void pn_pitch_search_frame(PnPitchSearch *ps, const float *x48,
                           PnPitchCands *out);

#endif
