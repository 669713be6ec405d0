/*
 * dump_filters.h - the dump tool's time-domain filters at 48 kHz: biquads
 * (designs from the RBJ audio-EQ cookbook formulas), random colouration,
 * steep low-pass, clipping and 16-bit quantisation.
 */
#ifndef DUMP_FILTERS_H
#define DUMP_FILTERS_H

#include "dump_rng.h"

typedef struct {
  double b0, b1, b2, a1, a2; /* normalised: a0 = 1 */
} Biquad;

Biquad bq_peak(double f0_hz, double gain_db, double q);
Biquad bq_high_shelf(double f0_hz, double gain_db);
Biquad bq_low_shelf(double f0_hz, double gain_db);
Biquad bq_lowpass(double f0_hz, double q);
Biquad bq_highpass(double f0_hz, double q);
Biquad bq_bandpass(double f0_hz, double q); /* 0 dB peak gain */
/* Runs x[0..n) through the filter in place, from a zero state. */
void bq_apply(const Biquad *b, float *x, int n);
/* Magnitude response at f_hz (linear). */
double bq_magnitude(const Biquad *b, double f_hz);

/* Random colouration of a microphone / channel, drawn from r: a spectral
 * tilt (high shelf at 0.5-4 kHz, -12..+9 dB, p = 0.6), a resonance or dip
 * (peaking filter at 80 Hz-12 kHz, -12..+12 dB, Q 0.5-4, p = 0.5) and a
 * high-pass (20-250 Hz, p = 0.3). Returns the number of filters applied. */
int random_colouration(DumpRng *r, float *x, int n);

/* 8th-order Butterworth low-pass (4 biquads, 48 dB/octave) at fc_hz. */
void lowpass_steep(float *x, int n, double fc_hz);

/* Hard clipping at +-limit; returns the number of samples clipped. */
int clip_hard(float *x, int n, float limit);
/* Rounding to 16-bit PCM steps (1/32768) with saturation at +-1. */
void quantise16(float *x, int n);

#endif
