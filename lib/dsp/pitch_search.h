/*
 * pitch_search.h - per-frame pitch candidates by normalised correlation.
 *
 * The input (48 kHz) is decimated to 12 kHz (7-tap triangular low-pass,
 * zeros at 12 and 24 kHz), high-passed (2nd-order Butterworth, 100 Hz: hum
 * and rumble correlate at every short lag; voices below 100 Hz are still
 * found from their harmonics) and partly whitened by an order-4 LPC inverse
 * filter computed on the newest 20 ms each frame (lag window 100 Hz,
 * -40 dB white-noise correction, bandwidth expansion 0.5^k: full whitening
 * lets the noise above the speech's bandwidth dominate at 10 dB SNR).
 * The coarse search runs on that signal decimated to 4 kHz ([1 2 3 2 1]/9)
 * over lags 5..64 (48 kHz periods 60..768) on a 20 ms window (the newest
 * analysis window). Candidates: the two best local maxima, plus the two
 * shortest plausible sub-multiples T/k of the best (normalised correlation
 * at least 0.6 of the best's): at short lags the coarse grid under-reads
 * the peak (half a sample is a large phase error for the upper harmonics),
 * so multiples of a high pitch often score higher. Each is refined at
 * 12 kHz over +-2 lags with a parabolic fit, giving the period in 48 kHz
 * samples (about +-1 sample) and the normalised correlation
 * c = sum x(n) x(n-T) / sqrt(sum x(n)^2 sum x(n-T)^2) at the best lag.
 * Cost: ~15,000 multiply-adds per 10 ms frame.
 */
#ifndef PITCH_SEARCH_H
#define PITCH_SEARCH_H

#include "dsp_const.h"

#define PN_PITCH_CANDS 4
#define PN_X12_LEN 480 /* 12 kHz history: window 240 + lags up to 195 */
#define PN_X4_LEN 160  /* 4 kHz: window 80 + lags up to 67 */

typedef struct {
  float period; /* samples at 48 kHz, PN_PERIOD_MIN..PN_PERIOD_MAX */
  float corr;   /* normalised correlation, [-1, 1] */
  float log2p;  /* log2(period), for the tracker */
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
  float x4[PN_X4_LEN];   /* 4 kHz decimation of e12, recomputed */
  float lag_window[5];   /* Gaussian lag window of the LPC analysis */
} PnPitchSearch;

void pn_pitch_search_reset(PnPitchSearch *ps);

/* Consumes the newest PN_FRAME samples (finite, |x| <= PN_INPUT_CLAMP) and
 * returns the candidates of the window ending with them. */
void pn_pitch_search_frame(PnPitchSearch *ps, const float *x48,
                           PnPitchCands *out);

#endif
