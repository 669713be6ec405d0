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
/* Fast random amplitude swings on x[0..n) in place, as of running water,
 * rain or gusts: x *= max(1 + d m, MODULATE_FLOOR)^2, m a unit-RMS Gaussian
 * noise low-passed by two one-pole filters with a corner drawn
 * log-uniformly in [MODULATE_MIN_HZ, MODULATE_MAX_HZ], depth d drawn in
 * [0.3, 0.8]. Draws 2 + n Gaussian values of r. */
#define MODULATE_MIN_HZ 2.0
#define MODULATE_MAX_HZ 30.0
#define MODULATE_FLOOR 0.05
void noise_modulate(DumpRng *r, float *x, int n);

#endif
