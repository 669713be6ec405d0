/*
 * dump_fft.h - whole-sequence FFT work for the dump tool (KISS FFT, real):
 * fast convolution with room impulse responses, and spectral shaping
 * (coloured noise, brick-wall low-pass). One size, fixed at creation: every
 * signal handled is at most `max_len` samples, every impulse response at
 * most `max_ir` samples; nfft >= max_len + max_ir - 1, so the circular
 * convolution equals the linear one over the whole signal (no wrap-around).
 * Cost O(nfft log nfft) per call instead of O(len * ir) for direct
 * convolution (a 1 s RIR on a 10 s signal: ~2e10 MACs directly).
 */
#ifndef DUMP_FFT_H
#define DUMP_FFT_H

#include <kiss_fftr.h>

typedef struct {
  int nfft;            /* even, factors 2, 3, 5 only */
  int max_len, max_ir; /* samples */
  kiss_fftr_cfg fwd, inv;
  float *time;          /* nfft */
  kiss_fft_cpx *spec_a; /* nfft / 2 + 1 */
  kiss_fft_cpx *spec_b;
} DumpFft;

int dfft_create(DumpFft *f, int max_len, int max_ir);
void dfft_destroy(DumpFft *f);

/* y_k = x * h_k (linear convolution truncated to the first n samples) for
 * k = 0, 1: both outputs share the transform of x. h1 / y1 may be NULL.
 * n <= max_len, n_h0, n_h1 <= max_ir. x and y may alias. */
void dfft_convolve2(DumpFft *f, const float *x, int n, const float *h0, int n_h0,
                    float *y0, const float *h1, int n_h1, float *y1);

/* x <- inverse(forward(x) * gain(freq_hz)), gain evaluated per bin by the
 * callback (linear amplitude); n <= max_len. The signal is treated as
 * periodic with period nfft (zero-padded), so shaped noise should be
 * generated longer than needed when the edges matter. */
typedef float (*DfftGain)(float freq_hz, const void *ctx);
void dfft_shape(DumpFft *f, float *x, int n, DfftGain gain, const void *ctx);

#endif
