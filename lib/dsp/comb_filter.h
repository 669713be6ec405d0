/*
 * comb_filter.h - zero-phase windowed comb on the pitch period (time domain).
 *
 *   p(n) = sum_{k=-M..M} w_k x(n + k T)
 * T <= 480 (f0 >= 100 Hz): M = 2, w = [1 3 4 3 1] / 12 (Hann of length 7
 *   without its zero ends): H(f) = (4 + 6 cos(2 pi f T) + 2 cos(4 pi f T))/12,
 *   unity at the harmonics f = h/T, zero midway between them; white noise
 *   power x rho = sum w_k^2 = 0.25 (-6.0 dB).
 * 480 < T <= 768: M = 1 (the forward taps may reach at most 20 ms, the
 *   look-ahead), w = [1 2 1] / 4: H(f) = (1 + cos(2 pi f T)) / 2, unity at
 *   the harmonics, zero midway; rho = 0.375 (-4.3 dB).
 * T is rounded to whole samples.
 */
#ifndef COMB_FILTER_H
#define COMB_FILTER_H

#include "dsp_const.h"

/* Number of taps (5 or 3) for a period. */
int pn_comb_taps(int period);

/* rho = sum of squared weights for a period (0.25 or 0.375). */
float pn_comb_rho(int period);

/* Centre weight w_0 (1/3 or 1/2): the share of the input's own noise that
 * stays correlated with the input. */
float pn_comb_centre(int period);

/* rho' of the side taps alone renormalised to sum 1 (the comb without its
 * centre tap): 0.3125 (5 taps) or 0.5 (3 taps). */
float pn_comb_side_rho(int period);

/* out[n] = p(start + n) window[n] (window NULL: 1), 0 <= n < len (a
 * multiple of 8), from x[0 .. x_len) (out must not overlap x): asserts that
 * start - M T >= 0 and start + len - 1 + M T < x_len. */
void pn_comb_filter(const float *x, int x_len, int start, int len, int period,
                    const float *window, float *out);

#endif
