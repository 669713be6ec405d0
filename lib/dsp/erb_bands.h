/*
 * erb_bands.h - 34 triangular ERB bands over the 481 bins of the 960-point
 * FFT (bin k = 50 k Hz).
 *
 * Band b peaks at edge bin e_b and falls to zero at e_{b-1} and e_{b+1}; band 0
 * is a half-triangle from DC, band 33 rises from bin 354 to bin 400 (20 kHz)
 * and stays at 1 up to bin 480. The weights of all bands sum to 1 at every bin.
 * Edges: below 900 Hz every 2 bins (100 Hz, the ERB there is narrower than two
 * bins), from 900 Hz to 20 kHz uniform in ERB-rate 21.4 log10(1 + 0.00437 f),
 * rounded to bins.
 *
 * Band values are weighted means per bin: E_b = sum_k w_b(k) v(k) / sum_k
 * w_b(k), so a flat spectrum of power s^2 per bin reads s^2 in every band.
 */
#ifndef ERB_BANDS_H
#define ERB_BANDS_H

#include "dsp_const.h"
#include <kiss_fft.h>

typedef struct {
  unsigned char band[PN_FREQ]; /* lower band b of the segment holding bin k */
  float frac[PN_FREQ];         /* weight of band b+1 at bin k, in [0, 1) */
  float inv_wsum[PN_BANDS];    /* 1 / (480 sum_k w_b(k)) */
  float wsum[PN_BANDS];        /* sum_k w_b(k), bins */
  float centre_hz[PN_BANDS];   /* peak of each band, Hz */
} PnBands;

void pn_bands_init(PnBands *b);

/* Edge (peak) bins of the bands (constant table). */
extern const short pn_band_edges[PN_BANDS];

/* Edge (peak) bin of band b, 0 <= b < 34. */
static inline int pn_band_edge(int b) { return pn_band_edges[b]; }

/* Weight of band b at bin k (for tests), in [0, 1]. */
float pn_band_weight(const PnBands *bt, int b, int k);

/* E[b]: band mean power of X, normalised as in dsp_const.h. */
void pn_band_energy(const PnBands *bt, const kiss_fft_cpx *X, float *E);

/* EP[b]: band mean power of P; C[b]: band mean of Re{X P*}. */
void pn_band_energy_xcorr(const PnBands *bt, const kiss_fft_cpx *X,
                          const kiss_fft_cpx *P, float *EP, float *C);

/* Segment table for callers that walk the bins band by band: bins
 * [pn_band_edge(b), pn_band_edge(b + 1)) lie between the peaks of bands b
 * and b + 1 (weight frac[k] on b + 1); bins from 400 up belong to band 33
 * alone. */

/* out[k] = sum_b w_b(k) v[b] (band values to bins; the transpose). */
void pn_band_interp(const PnBands *bt, const float *v, float *out);

#endif
