/* stft.c - see stft.h. */
#include "stft.h"

#include <math.h>
#include <stdlib.h>

int pn_stft_init(PnStft *s) {
  int n;
  for (n = 0; n < PN_WINDOW; n++) {
    double v = sin(PN_PI * (n + 0.5) / PN_WINDOW);
    s->window[n] = (float)sin(0.5 * PN_PI * v * v);
  }
  for (n = 0; n < PN_FREQ; n++) {
    s->tw_r[n] = (float)cos(-2.0 * PN_PI * n / PN_WINDOW);
    s->tw_i[n] = (float)sin(-2.0 * PN_PI * n / PN_WINDOW);
  }
  s->fwd = kiss_fft_alloc(PN_HALF, 0, NULL, NULL);
  s->inv = kiss_fft_alloc(PN_HALF, 1, NULL, NULL);
  if (!s->fwd || !s->inv) {
    pn_stft_free(s);
    return PN_DSP_ERR_ALLOC;
  }
  return PN_DSP_OK;
}

void pn_stft_free(PnStft *s) {
  if (s->fwd) kiss_fft_free(s->fwd);
  if (s->inv) kiss_fft_free(s->inv);
  s->fwd = NULL;
  s->inv = NULL;
}

/* y = a . b . scale over one window (the complex buffers are filled and
 * read through their float view, see PnFftBuf). */
static void window_mul(float *restrict y, const float *restrict a,
                       const float *restrict b, float scale) {
  int n;
  for (n = 0; n < PN_WINDOW; n++) y[n] = a[n] * b[n] * scale;
}

_Static_assert(sizeof(PnFftBuf) == PN_WINDOW * sizeof(float), "kiss_fft_cpx is two floats");

/* X(k) = E(k) + W^k O(k), E = (Z(k) + Z*(480-k))/2, O = (Z(k) - Z*(480-k))/2i.
 * For k' = 480 - k: E(k') = E*(k), O(k') = O*(k), W^k' = -W^-k, so one
 * product t = W^k O serves both: X(k) = E + t, X(k') = E* - t* ... written
 * out below per component. */
static void split_fwd(const kiss_fft_cpx *restrict Z, const float *restrict wr,
                      const float *restrict wi, kiss_fft_cpx *restrict X) {
  int k;
  X[0].r = Z[0].r + Z[0].i;
  X[0].i = 0.0f;
  X[PN_HALF].r = Z[0].r - Z[0].i; /* W^480 = -1 */
  X[PN_HALF].i = 0.0f;
  for (k = 1; k <= PN_HALF / 2; k++) {
    const kiss_fft_cpx a = Z[k], b = Z[PN_HALF - k];
    float er = 0.5f * (a.r + b.r), ei = 0.5f * (a.i - b.i);
    float orr = 0.5f * (a.i + b.i), oi = -0.5f * (a.r - b.r);
    float tr = wr[k] * orr - wi[k] * oi, ti = wr[k] * oi + wi[k] * orr;
    X[k].r = er + tr;
    X[k].i = ei + ti;
    X[PN_HALF - k].r = er - tr;
    X[PN_HALF - k].i = ti - ei;
  }
}

float *pn_stft_input(PnStft *s) { return s->z.f; }

void pn_stft_transform(PnStft *s, kiss_fft_cpx *X) {
  kiss_fft(s->fwd, s->z.c, s->Z.c);
  split_fwd(s->Z.c, s->tw_r, s->tw_i, X);
}

void pn_stft_analyse(PnStft *s, const float *x, kiss_fft_cpx *X) {
  window_mul(s->z.f, x, s->window, 1.0f);
  pn_stft_transform(s, X);
}

/* Z(k) = E + i O with E = (X(k) + X*(480-k))/2, O = (X(k) - X*(480-k)) W^-k / 2,
 * 0 <= k < 480; the pair (k, 480 - k) shares u = (X(k) - X*(480-k))/2:
 * O(k) = u W^-k and O(480-k) = -u* W^k ... written out per component. */
static void split_inv(const kiss_fft_cpx *restrict X, const float *restrict wr,
                      const float *restrict wi, kiss_fft_cpx *restrict Z) {
  int k;
  {
    /* k = 0: E = (X0 + X480)/2, O = (X0 - X480)/2 (both real) */
    float e = 0.5f * (X[0].r + X[PN_HALF].r), o = 0.5f * (X[0].r - X[PN_HALF].r);
    Z[0].r = e;
    Z[0].i = o;
  }
  for (k = 1; k < PN_HALF / 2; k++) {
    const kiss_fft_cpx a = X[k], b = X[PN_HALF - k];
    float er = 0.5f * (a.r + b.r), ei = 0.5f * (a.i - b.i);
    float ur = 0.5f * (a.r - b.r), ui = 0.5f * (a.i + b.i);
    /* O(k) = u W^-k = (ur + i ui)(wr - i wi) */
    float orr = ur * wr[k] + ui * wi[k], oi = ui * wr[k] - ur * wi[k];
    /* Z(k) = E + i O */
    Z[k].r = er - oi;
    Z[k].i = ei + orr;
    /* E(480-k) = E*(k); O(480-k) = O*(k) (u(480-k) = -u*(k), W^-(480-k) = -W^k) */
    Z[PN_HALF - k].r = er + oi;
    Z[PN_HALF - k].i = orr - ei;
  }
  /* k = 240 pairs with itself: E = Re X, u = i Im X, W^-240 = i, so
   * Z(240) = X*(240) */
  Z[PN_HALF / 2].r = X[PN_HALF / 2].r;
  Z[PN_HALF / 2].i = -X[PN_HALF / 2].i;
}

/* out = clamp(z w / 480 + ola), ola = second half of z w / 480 */
static void overlap_add(const float *restrict z, const float *restrict w,
                        float *restrict ola, float *restrict out, float limit) {
  const float scale = 1.0f / PN_HALF;
  int n;
  for (n = 0; n < PN_FRAME; n++) {
    float v = z[n] * w[n] * scale + ola[n];
    v = v < limit ? v : limit;   /* min */
    v = v > -limit ? v : -limit; /* max */
    out[n] = v;
  }
  for (n = 0; n < PN_FRAME; n++) ola[n] = z[PN_FRAME + n] * w[PN_FRAME + n] * scale;
}

void pn_stft_synthesise(PnStft *s, const kiss_fft_cpx *X, float *ola, float *out,
                        float limit) {
  split_inv(X, s->tw_r, s->tw_i, s->z.c);
  kiss_fft(s->inv, s->z.c, s->Z.c);
  /* y(2n) + i y(2n+1) = z(n) w / 480 */
  overlap_add(s->Z.f, s->window, ola, out, limit);
}
