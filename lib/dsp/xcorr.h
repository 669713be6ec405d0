/*
 * xcorr.h - cross-correlation over a block of lags, written so compilers
 * vectorise it at the default flags (8 independent accumulators per lag
 * block, no reduction across them).
 */
#ifndef XCORR_H
#define XCORR_H

/* out[i] = sum_{j < n} x[j] y[i + j] for 0 <= i < nlag: reads y[0 .. nlag +
 * n - 2]. Single-precision; relative error ~ n * 6e-8 of sum |x y|. */
void pn_xcorr(const float *x, const float *y, int n, int nlag, float *out);

#endif
