/* xcorr.c - see xcorr.h. */
#include "xcorr.h"

#include <assert.h>

/* One block of B lags: B independent accumulators the compiler keeps in
 * vector registers (4 lanes per register with SSE2). */
#define XCORR_BLOCK(B)                                  \
  do {                                                  \
    float acc[B] = {0};                                 \
    for (j = 0; j < n; j++) {                           \
      const float xj = x[j];                            \
      const float *yy = y + i + j;                      \
      for (q = 0; q < (B); q++) acc[q] += xj * yy[q];   \
    }                                                   \
    for (q = 0; q < (B); q++) out[i + q] = acc[q];      \
  } while (0)

void pn_xcorr(const float *x, const float *y, int n, int nlag, float *out) {
  int i = 0, j, q;
  assert(n > 0 && nlag >= 0);
  for (; i + 8 <= nlag; i += 8) XCORR_BLOCK(8);
  for (; i < nlag; i++) {
    float s = 0.0f;
    for (j = 0; j < n; j++) s += x[j] * y[i + j];
    out[i] = s;
  }
}
