/* pitch_search.c - see pitch_search.h. */
#include "pitch_search.h"
#include "xcorr.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W12 240 /* window at 12 kHz (20 ms) */
#define W6 120  /* window at 6 kHz */
#define LAG6_MIN 8
#define LAG6_MAX 96
#define LAG6_LO (LAG6_MIN - 1) /* correlations computed on [LO, LO + NLAG6) */
#define NLAG6 96               /* 12 blocks of 8: lags 7..102 */
#define LAG12_MIN 15           /* 48 kHz period 60 */
#define LAG12_MAX 192          /* 48 kHz period 768 */
/* Energies below this (mean square, 12 kHz units) count as silence. */
#define SILENCE 1e-12f

#define HP_HZ 100.0

void pn_pitch_search_reset(PnPitchSearch *ps) {
  const double k = tan(PN_PI * HP_HZ / 12000.0), q = sqrt(2.0);
  const double norm = 1.0 / (1.0 + q * k + k * k);
  memset(ps, 0, sizeof(*ps));
  ps->hp_b[0] = (float)norm;
  ps->hp_b[1] = (float)(-2.0 * norm);
  ps->hp_b[2] = (float)norm;
  ps->hp_a[0] = (float)(2.0 * (k * k - 1.0) * norm);
  ps->hp_a[1] = (float)((1.0 - q * k + k * k) * norm);
}

/* Normalised correlation from a raw product and two energies, in [-1, 1]. */
static float norm_corr(float xy, double e0, double e1) {
  double d = e0 * e1;
  float c;
  if (d <= 0.0) return 0.0f;
  c = (float)(xy / sqrt(d));
  return c > 1.0f ? 1.0f : (c < -1.0f ? -1.0f : c);
}

/* LPC order-4 inverse filter of the 12 kHz history into e12, then e12 to
 * 6 kHz. */
static void whiten(PnPitchSearch *ps) {
  const float *x = ps->x12;
  float *e = ps->e12;
  double r[5], a[5] = {1.0, 0.0, 0.0, 0.0, 0.0}, err;
  float af[5];
  int k, i, n;
  for (k = 0; k <= 4; k++) {
    double acc = 0.0;
    for (n = k; n < PN_X12_LEN; n++) acc += (double)x[n] * x[n - k];
    /* Gaussian lag window, 100 Hz at 12 kHz */
    r[k] = acc * exp(-0.5 * pow(2.0 * PN_PI * 100.0 * k / 12000.0, 2.0));
  }
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
  for (k = 0; k <= 4; k++) af[k] = (float)(a[k] * pow(0.5, k));
  for (n = 0; n < 4; n++) e[n] = x[n];
  for (n = 4; n < PN_X12_LEN; n++)
    e[n] = x[n] + af[1] * x[n - 1] + af[2] * x[n - 2] + af[3] * x[n - 3] +
           af[4] * x[n - 4];
  /* 12 -> 6 kHz: [1 2 1] / 4 on every 2nd sample */
  ps->x6[0] = 0.5f * (e[0] + e[1]);
  for (n = 1; n < PN_X6_LEN; n++)
    ps->x6[n] = 0.25f * e[2 * n - 1] + 0.5f * e[2 * n] + 0.25f * e[2 * n + 1];
}

static void decimate(PnPitchSearch *ps, const float *x48) {
  /* 48 -> 12 kHz: h = [1 2 3 4 3 2 1] / 16 centred on every 4th sample */
  static const float h[7] = {1.0f / 16, 2.0f / 16, 3.0f / 16, 4.0f / 16,
                             3.0f / 16, 2.0f / 16, 1.0f / 16};
  float ext[PN_FRAME + 3];
  float *x12 = ps->x12;
  int m, j;
  memcpy(ext, ps->tail48, sizeof(ps->tail48));
  memcpy(ext + 3, x48, PN_FRAME * sizeof(float));
  memcpy(ps->tail48, x48 + PN_FRAME - 3, sizeof(ps->tail48));
  memmove(x12, x12 + PN_FRAME / 4, (PN_X12_LEN - PN_FRAME / 4) * sizeof(float));
  for (m = 0; m < PN_FRAME / 4; m++) {
    float s = 0.0f;
    float y;
    for (j = 0; j < 7; j++) s += h[j] * ext[4 * m + j];
    y = ps->hp_b[0] * s + ps->hp_b[1] * ps->hp_x[0] + ps->hp_b[2] * ps->hp_x[1] -
        ps->hp_a[0] * ps->hp_y[0] - ps->hp_a[1] * ps->hp_y[1];
    /* flush denormals: the filter rings down towards 0 in silence */
    if (fabsf(y) < 1e-20f) y = 0.0f;
    ps->hp_x[1] = ps->hp_x[0];
    ps->hp_x[0] = s;
    ps->hp_y[1] = ps->hp_y[0];
    ps->hp_y[0] = y;
    x12[PN_X12_LEN - PN_FRAME / 4 + m] = y;
  }
  whiten(ps);
}

/* prefix[i] = sum_{n < i} x[n]^2, in double (sums of ~500 positive terms). */
static void prefix_energy(const float *x, int len, double *prefix) {
  int i;
  prefix[0] = 0.0;
  for (i = 0; i < len; i++) prefix[i + 1] = prefix[i] + (double)x[i] * x[i];
}

/* Refines coarse lag lag6 at 12 kHz; returns 0 when no usable peak. */
static int refine(const float *x12, const double *pre12, int lag6,
                  PnPitchCand *out) {
  const int start = PN_X12_LEN - W12;
  const double e0 = pre12[PN_X12_LEN] - pre12[start];
  float xy[8], c[8];
  int lo = 2 * lag6 - 4, i, best = -1;
  float bc = -2.0f, delta = 0.0f;
  if (lo < LAG12_MIN - 1) lo = LAG12_MIN - 1;
  if (lo + 7 > LAG12_MAX + 1) lo = LAG12_MAX + 1 - 7;
  assert(start - (lo + 7) >= 0);
  /* xy[i] = sum x[n] x[n - (lo + 7 - i)]: lags lo+7 down to lo */
  pn_xcorr(x12 + start, x12 + start - (lo + 7), W12, 8, xy);
  for (i = 0; i < 8; i++) {
    int lag = lo + 7 - i;
    double e1 = pre12[start - lag + W12] - pre12[start - lag];
    c[i] = norm_corr(xy[i], e0, e1);
  }
  /* best interior lag within [2 lag6 - 2, 2 lag6 + 2] and the legal range */
  for (i = 1; i < 7; i++) {
    int lag = lo + 7 - i;
    if (lag < LAG12_MIN || lag > LAG12_MAX) continue;
    if (lag < 2 * lag6 - 2 || lag > 2 * lag6 + 2) continue;
    if (c[i] > bc) {
      bc = c[i];
      best = i;
    }
  }
  if (best < 0) return 0;
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
  return 1;
}

void pn_pitch_search_frame(PnPitchSearch *ps, const float *x48,
                           PnPitchCands *out) {
  double pre6[PN_X6_LEN + 1], pre12[PN_X12_LEN + 1];
  float xy[NLAG6], c6[NLAG6];
  int peak[PN_PITCH_CANDS];
  float peakc[PN_PITCH_CANDS];
  int npeak = 0, i, k;
  const int s6 = PN_X6_LEN - W6;
  double e0;

  decimate(ps, x48);
  out->n = 0;
  prefix_energy(ps->x6, PN_X6_LEN, pre6);
  e0 = pre6[PN_X6_LEN] - pre6[s6];
  if (e0 < SILENCE * W6) return;
  prefix_energy(ps->e12, PN_X12_LEN, pre12);

  /* xy[i] = correlation at lag LAG6_LO + NLAG6 - 1 - i */
  assert(s6 - (LAG6_LO + NLAG6 - 1) >= 0);
  pn_xcorr(ps->x6 + s6, ps->x6 + s6 - (LAG6_LO + NLAG6 - 1), W6, NLAG6, xy);
  for (i = 0; i < NLAG6; i++) {
    int lag = LAG6_LO + i;
    int j = NLAG6 - 1 - i;
    double e1 = pre6[s6 - lag + W6] - pre6[s6 - lag];
    c6[i] = norm_corr(xy[j], e0, e1);
  }
  /* the two largest local maxima over lags 8..96 */
  for (i = 1; i + LAG6_LO <= LAG6_MAX; i++) {
    float v = c6[i];
    int lag = LAG6_LO + i;
    if (i == 1 && c6[0] > v && c6[0] > 0.0f) {
      v = c6[0]; /* peak at lag 7 (T < 64): refined from lag 8 */
    } else if (v <= 0.0f || v < c6[i - 1] || v <= c6[i + 1]) {
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
    peak[k] = lag;
    peakc[k] = v;
  }
  /* sub-multiples T/k of the best peak: at short lags the 6 kHz grid
   * under-reads the peak (half a sample is a large phase error for the
   * upper harmonics), so multiples of a high pitch often score higher */
  if (npeak > 0) {
    int best = peak[0], div;
    for (div = 2; npeak < PN_PITCH_CANDS && 2 * best >= div * 15; div++) {
      int lag = (2 * best + div) / (2 * div), j, dup = 0;
      int lo = lag > LAG6_MIN ? lag - 1 : LAG6_MIN, hi = lag + 1;
      int arg = lo;
      for (j = lo + 1; j <= hi; j++)
        if (c6[j - LAG6_LO] > c6[arg - LAG6_LO]) arg = j;
      for (j = 0; j < npeak; j++)
        if (abs(peak[j] - arg) <= 1) dup = 1;
      if (dup || c6[arg - LAG6_LO] <= 0.0f) continue;
      peak[npeak] = arg;
      peakc[npeak] = c6[arg - LAG6_LO];
      npeak++;
    }
  }
  for (i = 0; i < npeak; i++) {
    PnPitchCand cand;
    if (refine(ps->e12, pre12, peak[i], &cand)) out->c[out->n++] = cand;
  }
  /* sort by refined correlation (n <= 4) */
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
