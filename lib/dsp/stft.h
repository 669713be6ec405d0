/*
 * stft.h - 960-point Vorbis-window STFT with 480 hop (KISS FFT, float).
 *
 * w(n) = sin(pi/2 sin^2(pi (n + 1/2) / 960)) is applied at analysis and at
 * synthesis; w(n)^2 + w(n + 480)^2 = 1, so overlap-adding the synthesised
 * halves of unmodified spectra gives back the input (error ~1e-7, float).
 *
 * The 960-point real transforms run as 480-point complex KISS FFTs with the
 * even/odd split done here, two bins (k, 480 - k) per step (about half the
 * instructions of kiss_fftr's split):
 *   z(n) = x(2n) + i x(2n+1),  Z = FFT480(z)
 *   A(k) = (Z(k) + Z*(480-k)) / 2,  B(k) = (Z(k) - Z*(480-k)) / 2i
 *   X(k) = A(k) + W^k B(k),  W = exp(-2 pi i / 960),  0 <= k <= 480
 * and the inverse solves the same two equations for A and B.
 */
#ifndef STFT_H
#define STFT_H

#include "dsp_const.h"
#include <kiss_fft.h>

#define PN_HALF (PN_WINDOW / 2) /* 480: complex FFT size */

/* A 480-point complex buffer, also read and written as 960 floats
 * (r0, i0, r1, i1, ...): z(n) = x(2n) + i x(2n+1). */
typedef union {
  kiss_fft_cpx c[PN_WINDOW / 2];
  float f[PN_WINDOW];
} PnFftBuf;

typedef struct {
  kiss_fft_cfg fwd;
  kiss_fft_cfg inv;
  float window[PN_WINDOW];
  float tw_r[PN_FREQ], tw_i[PN_FREQ]; /* W^k */
  /* scratch */
  PnFftBuf z, Z;
} PnStft;

/* Returns PN_DSP_OK, or PN_DSP_ERR_ALLOC when the FFT plans cannot be
 * allocated. */
int pn_stft_init(PnStft *s);
void pn_stft_free(PnStft *s);

/* X[PN_FREQ] = FFT(w . x[0..959]), unnormalised (the DFT sum). */
void pn_stft_analyse(PnStft *s, const float *x, kiss_fft_cpx *X);

/* For callers that window while computing their frame (one pass less):
 * write PN_WINDOW windowed samples to pn_stft_input(s), then
 * pn_stft_transform(s, X) gives the same X as pn_stft_analyse. */
float *pn_stft_input(PnStft *s);
void pn_stft_transform(PnStft *s, kiss_fft_cpx *X);

/* y = w . IFFT(X) (normalised inverse), overlap-added:
 * out[n] = y[n] + ola[n], clamped to +-limit (limit > 0);
 * ola[n] = y[480 + n] for the next frame. n < 480. */
void pn_stft_synthesise(PnStft *s, const kiss_fft_cpx *X, float *ola, float *out,
                        float limit);

#endif
