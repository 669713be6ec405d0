/*
 * channel.h - one signal's analysis state: input history, the spectra and
 * band energies of the newest PN_LOOKAHEAD + 1 frames, and the comb-filtered
 * spectrum of the enhanced frame (PN_LOOKAHEAD frames back).
 */
#ifndef CHANNEL_H
#define CHANNEL_H

#include "dsp_const.h"
#include "erb_bands.h"
#include "stft.h"

#define PN_RING (PN_LOOKAHEAD + 1)

/* The history lives in a longer buffer and is moved back only every
 * PN_HIST_SPARE frames (one non-overlapping copy instead of a shift per
 * frame). */
#define PN_HIST_SPARE 16
#define PN_HIST_BUF (PN_HIST + PN_HIST_SPARE * PN_FRAME)

typedef struct {
  float buf[PN_HIST_BUF];
  float *hist;                  /* buf + offset: the last PN_HIST samples,
                                   newest last */
  kiss_fft_cpx X[PN_RING][PN_FREQ];
  float E[PN_RING][PN_BANDS];   /* band mean power of X */
  int pos;                      /* ring slot of the newest frame */
  /* enhanced frame, filled by pn_channel_comb() */
  kiss_fft_cpx P[PN_FREQ];      /* comb-filtered spectrum */
  float EP[PN_BANDS];           /* band mean power of P */
  float C[PN_BANDS];            /* band mean of Re{X P*} */
  /* pitch coherence: Re<X S*> / sqrt(E_X E_S), clipped to [0, 1], where
   * S = (P - w0 X) / (1 - w0) is the comb without its centre tap (white
   * noise reads ~0, a steady harmonic signal 1) */
  float coh[PN_BANDS];
} PnChannel;

void pn_channel_reset(PnChannel *ch);

/* Appends PN_FRAME samples, NaN/Inf replaced by 0 and clamped to
 * +-PN_INPUT_CLAMP, and analyses the newest frame. */
void pn_channel_push(PnChannel *ch, PnStft *stft, const PnBands *bands,
                     const float *x);

/* Spectrum / band energies of the frame `age` steps back (0 = newest,
 * PN_LOOKAHEAD = the enhanced frame). */
const kiss_fft_cpx *pn_channel_spectrum(const PnChannel *ch, int age);
const float *pn_channel_energy(const PnChannel *ch, int age);

/* Comb-filters the enhanced frame's window with an integer period and fills
 * P, EP, C and coh. */
void pn_channel_comb(PnChannel *ch, PnStft *stft, const PnBands *bands,
                     int period);

#endif
