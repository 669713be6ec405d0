/*
 * stft.h - 960-point Vorbis-window STFT with 480 hop (KISS FFT, float).
 *
 * w(n) = sin(pi/2 sin^2(pi (n + 1/2) / 960)) is applied at analysis and at
 * synthesis; w(n)^2 + w(n + 480)^2 = 1, so overlap-adding the synthesised
 * halves of unmodified spectra gives back the input (error ~1e-7, float).
 */
#ifndef STFT_H
#define STFT_H

#include "dsp_const.h"
#include <kiss_fft.h>
#include <kiss_fftr.h>

typedef struct {
  kiss_fftr_cfg fwd;
  kiss_fftr_cfg inv;
  float window[PN_WINDOW];
  float buf[PN_WINDOW]; /* scratch, PN_WINDOW samples */
} PnStft;

/* Returns 0, or -1 when the FFT plans cannot be allocated. */
int pn_stft_init(PnStft *s);
void pn_stft_free(PnStft *s);

/* X[PN_FREQ] = FFT(w . x[0..959]), unnormalised. */
void pn_stft_analyse(PnStft *s, const float *x, kiss_fft_cpx *X);

/* y[0..959] = w . IFFT(X) / 960: the caller overlap-adds y[0..479] with the
 * previous frame's y[480..959]. */
void pn_stft_synthesise(PnStft *s, const kiss_fft_cpx *X, float *y);

#endif
