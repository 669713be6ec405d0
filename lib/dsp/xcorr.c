/* xcorr.c - see xcorr.h. */
#include "xcorr.h"

#include <assert.h>

#define BLOCK 8

void pn_xcorr(const float *x, const float *y, int n, int nlag, float *out) {
  int i = 0, j, q;
  assert(n > 0 && nlag >= 0);
  for (; i + BLOCK <= nlag; i += BLOCK) {
    float acc[BLOCK] = {0};
    for (j = 0; j < n; j++) {
      const float xj = x[j];
      const float *yy = y + i + j;
      for (q = 0; q < BLOCK; q++) acc[q] += xj * yy[q];
    }
    for (q = 0; q < BLOCK; q++) out[i + q] = acc[q];
  }
  for (; i < nlag; i++) {
    float s = 0.0f;
    for (j = 0; j < n; j++) s += x[j] * y[i + j];
    out[i] = s;
  }
}
