/*
 * dump_noise.h - generated noises at 48 kHz (unit-free: the mixer sets the
 * level from the drawn SNR). Each fills x[0..n), n <= the FFT's max_len.
 */
#ifndef DUMP_NOISE_H
#define DUMP_NOISE_H

#include "dump_fft.h"
#include "dump_rng.h"

/* Gaussian noise with power spectrum ~ f^-beta above floor_hz (> 0; flat
 * below): beta 0 white, 1 pink, 2 brown, steeper above 2 (rumble). */
void noise_coloured(DumpRng *r, DumpFft *f, float *x, int n, double beta, double floor_hz);
/* Mains hum: 50 or 60 Hz (+-0.5 %) and harmonics up to 1.5-8 kHz (at most 100), harmonic
 * k at amplitude k^-p (p in 0.5-2, +-6 dB each), random phases, slow
 * amplitude wobble, plus broadband noise 30-50 dB below. */
void noise_hum(DumpRng *r, DumpFft *f, float *x, int n);
/* Fan / air-conditioning: pink-to-brown noise through 1-3 broad resonances
 * (100 Hz-3 kHz) and a low-pass (1.5-10 kHz), a blade-pass tone (60-400 Hz,
 * 3 harmonics, -30..-10 dB) and slow amplitude modulation (0.2-4 Hz, depth
 * up to 20 %). */
void noise_fan(DumpRng *r, DumpFft *f, float *x, int n);

#endif
