/* pitch_search.c - see pitch_search.h. */
#include "pitch_search.h"
#include "xcorr.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W12 240 /* window at 12 kHz (20 ms) */
#define W4 80   /* window at 4 kHz */
#define LAG4_MIN 5
#define LAG4_MAX 64
#define LAG4_LO 4              /* correlations computed on [LO, LO + NLAG4) */
#define NLAG4 64               /* lags 4..67 */
#define LAG12_MIN 15           /* 48 kHz period 60 */
#define LAG12_MAX 192          /* 48 kHz period 768 */
#define HP_HZ 100.0
#define SUB_SHARE 0.6f         /* sub-multiple kept if c >= this x best */
/* Energies below this (sum of squares at 4 kHz) count as silence. */
#define SILENCE 1e-12f

void pn_pitch_search_reset(PnPitchSearch *ps) {
  const double k = tan(PN_PI * HP_HZ / 12000.0), q = sqrt(2.0);
  const double norm = 1.0 / (1.0 + q * k + k * k);
  int i;
  memset(ps, 0, sizeof(*ps));
  ps->hp_b[0] = (float)norm;
  ps->hp_b[1] = (float)(-2.0 * norm);
  ps->hp_b[2] = (float)norm;
  ps->hp_a[0] = (float)(2.0 * (k * k - 1.0) * norm);
  ps->hp_a[1] = (float)((1.0 - q * k + k * k) * norm);
  for (i = 0; i < 5; i++) {
    double w = 2.0 * PN_PI * 100.0 * i / 12000.0; /* 100 Hz at 12 kHz */
    ps->lag_window[i] = (float)exp(-0.5 * w * w);
  }
}

/* Normalised correlation from a raw product and two energies, in [-1, 1]
 * (float: energies here lie between 1e-10 and 1e4). */
static float norm_corr(float xy, double e0, double e1) {
  float d = (float)e0 * (float)e1, c;
  if (!(d > 0.0f)) return 0.0f;
  c = xy / sqrtf(d);
  return c > 1.0f ? 1.0f : (c < -1.0f ? -1.0f : c);
}

/* e[n] = sum_k a[k] x[n - k] for 8 <= n < PN_X12_LEN (the first 8 copy x) */
static void lpc_filter(const float *restrict x, float *restrict e, const float *a) {
  const float a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
  int n;
  for (n = 0; n < 8; n++) e[n] = x[n];
  for (n = 8; n < PN_X12_LEN; n++)
    e[n] = x[n] + a1 * x[n - 1] + a2 * x[n - 2] + a3 * x[n - 3] + a4 * x[n - 4];
}

/* 12 -> 4 kHz: [1 1 1] / 3 on every 3rd sample (zero at 4 kHz) */
static void third(const float *restrict e, float *restrict y) {
  int m;
  for (m = 0; m < PN_X4_LEN; m++) y[m] = (e[3 * m] + e[3 * m + 1] + e[3 * m + 2]) * (1.0f / 3.0f);
}

static void whiten(PnPitchSearch *ps) {
  const float *x = ps->x12;
  double r[5], a[5] = {1.0, 0.0, 0.0, 0.0, 0.0}, err;
  float xy[8], af[5];
  int k, i;
  /* xy[i] = sum_n x[n] x[n - (7 - i)] over the newest 20 ms */
  pn_xcorr(x + PN_X12_LEN - W12, x + PN_X12_LEN - W12 - 7, W12, 8, xy);
  for (k = 0; k <= 4; k++) r[k] = (double)xy[7 - k] * ps->lag_window[k];
  r[0] = r[0] * 1.0001 + 1e-9; /* -40 dB white-noise correction; 1e-9 guards silence */
  err = r[0];
  for (i = 1; i <= 4; i++) { /* Levinson-Durbin */
    double acc = r[i], kk;
    double tmp[5];
    for (k = 1; k < i; k++) acc += a[k] * r[i - k];
    kk = -acc / err;
    for (k = 0; k <= 4; k++) tmp[k] = a[k];
    for (k = 1; k < i; k++) a[k] = tmp[k] + kk * tmp[i - k];
    a[i] = kk;
    err *= 1.0 - kk * kk;
    if (err <= 0.0) break;
  }
  for (k = 0, i = 1; k <= 4; k++, i *= 2) af[k] = (float)(a[k] / i); /* 0.5^k */
  lpc_filter(x, ps->e12, af);
  third(ps->e12, ps->x4);
}

/* b[i] = x[i] + x[i+1] + x[i+2] + x[i+3] for 0 <= i < PN_FRAME - 4 (a
 * multiple of 4, so it vectorises) */
static void box4(const float *restrict x, float *restrict b) {
  int i;
  for (i = 0; i < PN_FRAME - 4; i++) b[i] = (x[i] + x[i + 1]) + (x[i + 2] + x[i + 3]);
}

static void decimate(PnPitchSearch *ps, const float *x48) {
  /* 48 -> 12 kHz: [1 2 3 4 3 2 1] / 16 (two 4-sample boxes) on every 4th
   * sample: zeros at 12 and 24 kHz */
  const float *t = ps->tail48; /* x48[-3 .. -1] */
  float b[PN_FRAME];
  float *x12 = ps->x12;
  int m;
  b[0] = t[0] + t[1] + t[2] + x48[0];
  b[1] = t[1] + t[2] + x48[0] + x48[1];
  b[2] = t[2] + x48[0] + x48[1] + x48[2];
  box4(x48, b + 3); /* b[3 .. 478] */
  b[PN_FRAME - 1] = x48[PN_FRAME - 4] + x48[PN_FRAME - 3] + x48[PN_FRAME - 2] + x48[PN_FRAME - 1];
  ps->tail48[0] = x48[PN_FRAME - 3];
  ps->tail48[1] = x48[PN_FRAME - 2];
  ps->tail48[2] = x48[PN_FRAME - 1];
  for (m = 0; m < PN_X12_LEN - PN_FRAME / 4; m++) x12[m] = x12[m + PN_FRAME / 4];
  {
    const float b0 = ps->hp_b[0], b1 = ps->hp_b[1], b2 = ps->hp_b[2];
    const float a1 = ps->hp_a[0], a2 = ps->hp_a[1];
    float x1 = ps->hp_x[0], x2 = ps->hp_x[1], y1 = ps->hp_y[0], y2 = ps->hp_y[1];
    float *dst = x12 + PN_X12_LEN - PN_FRAME / 4;
    for (m = 0; m < PN_FRAME / 4; m++) {
      /* s = sum_{j<7} h[j] ext[4m + j] = (b[4m] + .. + b[4m + 3]) / 16 */
      float s = (b[4 * m] + b[4 * m + 1] + b[4 * m + 2] + b[4 * m + 3]) * (1.0f / 16.0f);
      float y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = s;
      y2 = y1;
      y1 = y;
      dst[m] = y;
    }
    /* flush denormals: the filter rings down towards 0 in silence */
    ps->hp_x[0] = fabsf(x1) < 1e-20f ? 0.0f : x1;
    ps->hp_x[1] = fabsf(x2) < 1e-20f ? 0.0f : x2;
    ps->hp_y[0] = fabsf(y1) < 1e-20f ? 0.0f : y1;
    ps->hp_y[1] = fabsf(y2) < 1e-20f ? 0.0f : y2;
  }
  whiten(ps);
}

/* sum of x[n]^2 over n < len (len a multiple of 4), 4 partial sums */
static float energy(const float *restrict x, int len) {
  float a[4] = {0};
  int n, q;
  assert(len % 4 == 0);
  for (n = 0; n < len; n += 4)
    for (q = 0; q < 4; q++) a[q] += x[n + q] * x[n + q];
  return (a[0] + a[1]) + (a[2] + a[3]);
}

/* Refines coarse lag lag4 at 12 kHz; returns 0 when no usable peak. */
static int refine(const float *x12, double e0, int lag4, PnPitchCand *out) {
  const int start = PN_X12_LEN - W12;
  float xy[8], c[8];
  double e1;
  int lo = 3 * lag4 - 4, i, best = -1;
  float bc = -2.0f, delta = 0.0f;
  if (lo < LAG12_MIN - 1) lo = LAG12_MIN - 1;
  if (lo + 7 > LAG12_MAX + 1) lo = LAG12_MAX + 1 - 7;
  assert(start - (lo + 7) >= 0);
  /* xy[i] = sum x[n] x[n - (lo + 7 - i)]: lags lo+7 down to lo */
  pn_xcorr(x12 + start, x12 + start - (lo + 7), W12, 8, xy);
  /* window energies at lags lo .. lo + 7, sliding in double from lag lo */
  e1 = energy(x12 + start - lo, W12);
  for (i = 7; i >= 0; i--) {
    int lag = lo + 7 - i;
    if (lag > lo) {
      double add = x12[start - lag], sub = x12[start - lag + W12];
      e1 += add * add - sub * sub;
      if (e1 < 0.0) e1 = 0.0;
    }
    c[i] = norm_corr(xy[i], e0, e1);
  }
  /* best interior lag within [3 lag4 - 2, 3 lag4 + 2] and the legal range */
  for (i = 1; i < 7; i++) {
    int lag = lo + 7 - i;
    if (lag < LAG12_MIN || lag > LAG12_MAX) continue;
    if (lag < 3 * lag4 - 2 || lag > 3 * lag4 + 2) continue;
    if (c[i] > bc) {
      bc = c[i];
      best = i;
    }
  }
  if (best < 1) return 0; /* best is -1 or 1..6 */
  {
    /* parabola through the neighbours; i grows as the lag shrinks */
    float cm = c[best + 1], cp = c[best - 1];
    float den = cm - 2.0f * bc + cp;
    if (den < -1e-6f) {
      delta = 0.5f * (cm - cp) / den; /* in lag units, + = longer lag */
      if (delta > 0.5f) delta = 0.5f;
      if (delta < -0.5f) delta = -0.5f;
      bc -= 0.25f * (cm - cp) * delta;
      if (bc > 1.0f) bc = 1.0f;
    }
  }
  out->period = 4.0f * ((float)(lo + 7 - best) - delta);
  if (out->period < PN_PERIOD_MIN) out->period = PN_PERIOD_MIN;
  if (out->period > PN_PERIOD_MAX) out->period = PN_PERIOD_MAX;
  out->corr = bc;
  out->log2p = log2f(out->period);
  return 1;
}

/* Adds lag (4 kHz) to the candidate list unless a listed lag is within 1. */
static int add_lag(int *lags, int n, int lag) {
  int j;
  for (j = 0; j < n; j++)
    if (abs(lags[j] - lag) <= 1) return n;
  lags[n] = lag;
  return n + 1;
}

void pn_pitch_search_frame(PnPitchSearch *ps, const float *x48,
                           PnPitchCands *out) {
  float xy[NLAG4], c4[NLAG4];
  double e1, e12;
  int peak[2] = {0, 0}, lags[PN_PITCH_CANDS];
  float peakc[2] = {0.0f, 0.0f};
  int npeak = 0, nlags = 0, i, k;
  const int s4 = PN_X4_LEN - W4;
  double e0;

  decimate(ps, x48);
  out->n = 0;
  e0 = energy(ps->x4 + s4, W4);
  if (e0 < SILENCE * W4) return;
  e12 = energy(ps->e12 + PN_X12_LEN - W12, W12);

  /* xy[j] = correlation at lag LAG4_LO + NLAG4 - 1 - j */
  assert(s4 - (LAG4_LO + NLAG4 - 1) >= 0);
  pn_xcorr(ps->x4 + s4, ps->x4 + s4 - (LAG4_LO + NLAG4 - 1), W4, NLAG4, xy);
  /* lagged window energies, sliding in double from lag LAG4_LO */
  e1 = energy(ps->x4 + s4 - LAG4_LO, W4);
  for (i = 0; i < NLAG4; i++) {
    int lag = LAG4_LO + i;
    if (i > 0) {
      double add = ps->x4[s4 - lag], sub = ps->x4[s4 - lag + W4];
      e1 += add * add - sub * sub;
      if (e1 < 0.0) e1 = 0.0;
    }
    c4[i] = norm_corr(xy[NLAG4 - 1 - i], e0, e1);
  }
  /* the two largest local maxima over lags 5..64 (c4[i]: lag 4 + i) */
  for (i = 1; i + LAG4_LO <= LAG4_MAX; i++) {
    float v = c4[i];
    if (i == 1 && c4[0] > v && c4[0] > 0.0f) {
      v = c4[0]; /* peak at lag 4 (T < 60 or just above): refined from 5 */
    } else if (v <= 0.0f || v < c4[i - 1] || v <= c4[i + 1]) {
      continue;
    }
    if (npeak == 2) {
      if (peakc[1] >= v) continue;
      k = 1;
    } else {
      k = npeak++;
    }
    while (k > 0 && peakc[k - 1] < v) {
      peak[k] = peak[k - 1];
      peakc[k] = peakc[k - 1];
      k--;
    }
    peak[k] = LAG4_LO + i;
    peakc[k] = v;
  }
  for (i = 0; i < npeak; i++) nlags = add_lag(lags, nlags, peak[i]);
  /* the two shortest plausible sub-multiples of the best peak */
  if (npeak > 0) {
    int div, found = 0;
    for (div = peak[0] / LAG4_MIN; div >= 2 && found < 2 && nlags < PN_PITCH_CANDS; div--) {
      int lag = (2 * peak[0] + div) / (2 * div), j, arg;
      if (lag < LAG4_MIN) continue;
      arg = lag;
      for (j = lag - 1; j <= lag + 1; j++)
        if (j >= LAG4_MIN && c4[j - LAG4_LO] > c4[arg - LAG4_LO]) arg = j;
      if (c4[arg - LAG4_LO] < SUB_SHARE * peakc[0]) continue;
      j = nlags;
      nlags = add_lag(lags, nlags, arg);
      found += nlags > j;
    }
  }
  for (i = 0; i < nlags; i++) {
    PnPitchCand cand;
    if (refine(ps->e12, e12, lags[i], &cand)) out->c[out->n++] = cand;
  }
  /* sort by refined correlation (n <= PN_PITCH_CANDS) */
  for (i = 1; i < out->n; i++) {
    PnPitchCand t = out->c[i];
    k = i;
    while (k > 0 && out->c[k - 1].corr < t.corr) {
      out->c[k] = out->c[k - 1];
      k--;
    }
    out->c[k] = t;
  }
}
