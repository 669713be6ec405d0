/*
 * dump_hold.h - held vowels: lengthens one voiced moment of a talker's
 * stream by repeating its pitch period, as a talker who holds a vowel
 * ("aaa", a sung note, a hesitation "uhh") at a steady pitch.
 *
 * Why: a vowel held at a steady pitch looks, frame by frame, like a steady
 * harmonic noise (hum, a held note of music); with none in the training
 * speech the network learned to cut it (weights/README.md). The held part
 * belongs to the clean speech, so its targets keep it.
 */
#ifndef DUMP_HOLD_H
#define DUMP_HOLD_H

#include "dump_rng.h"

/* Looks for a voiced 10 ms frame of x[from..n) (48 kHz; its normalised
 * autocorrelation peaks at >= HOLD_MIN_CORR at a period of 2-20 ms, and it
 * is within 20 dB of the stream's loudest frame), up to 8 random tries.
 * When one is found at sample c with period T, x becomes x[0..c), then about
 * hold_s seconds of that period repeated (Hann-windowed two-period grains
 * overlap-added, renormalised by their window sum; the hops are T at both
 * ends, so the joins are exact, and in between drift slowly by up to 1 %
 * with 0.3 % jitter, as a voice does), then x[c..) shifted later; the end
 * of x past n is dropped. Each grain's level moves by a smooth swell or
 * decay of -3..+1 dB over the hold, plus 0.3 dB of random shimmer.
 * tmp: n floats of scratch. Returns the held samples, 0 when no voiced
 * frame was found (x unchanged); *end (when not NULL) gets the first sample
 * after the hold's join, where a next search may start. */
int hold_vowel(DumpRng *r, float *x, int n, float *tmp, double hold_s, int from, int *end);

#define HOLD_MIN_CORR 0.8

#endif
