/* pitch_search.c - see pitch_search.h. */
#include "pitch_search.h"
#include "xcorr.h"

#include <assert.h>
#include <math.h>
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

void pn_pitch_search_reset(PnPitchSearch *ps) { memset(ps, 0, sizeof(*ps)); }

/* Normalised correlation from a raw product and two energies, in [-1, 1]. */
static float norm_corr(float xy, double e0, double e1) {
  double d = e0 * e1;
  float c;
  if (d <= 0.0) return 0.0f;
  c = (float)(xy / sqrt(d));
  return c > 1.0f ? 1.0f : (c < -1.0f ? -1.0f : c);
}

static void decimate(PnPitchSearch *ps, const float *x48) {
  /* 48 -> 12 kHz: h = [1 2 3 4 3 2 1] / 16 centred on every 4th sample */
  static const float h[7] = {1.0f / 16, 2.0f / 16, 3.0f / 16, 4.0f / 16,
                             3.0f / 16, 2.0f / 16, 1.0f / 16};
  float ext[PN_FRAME + 3];
  float *x12 = ps->x12, *x6 = ps->x6;
  int m, j;
  memcpy(ext, ps->tail48, sizeof(ps->tail48));
  memcpy(ext + 3, x48, PN_FRAME * sizeof(float));
  memcpy(ps->tail48, x48 + PN_FRAME - 3, sizeof(ps->tail48));
  memmove(x12, x12 + PN_FRAME / 4, (PN_X12_LEN - PN_FRAME / 4) * sizeof(float));
  for (m = 0; m < PN_FRAME / 4; m++) {
    float s = 0.0f;
    for (j = 0; j < 7; j++) s += h[j] * ext[4 * m + j];
    x12[PN_X12_LEN - PN_FRAME / 4 + m] = s;
  }
  /* 12 -> 6 kHz: [1 2 1] / 4 centred on every 2nd sample */
  memmove(x6, x6 + PN_FRAME / 8, (PN_X6_LEN - PN_FRAME / 8) * sizeof(float));
  for (m = 0; m < PN_FRAME / 8; m++) {
    int p = PN_X12_LEN - PN_FRAME / 4 + 2 * m;
    x6[PN_X6_LEN - PN_FRAME / 8 + m] =
        0.25f * x12[p - 1] + 0.5f * x12[p] + 0.25f * x12[p + 1];
  }
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
  prefix_energy(ps->x12, PN_X12_LEN, pre12);

  /* xy[i] = correlation at lag LAG6_LO + NLAG6 - 1 - i */
  assert(s6 - (LAG6_LO + NLAG6 - 1) >= 0);
  pn_xcorr(ps->x6 + s6, ps->x6 + s6 - (LAG6_LO + NLAG6 - 1), W6, NLAG6, xy);
  for (i = 0; i < NLAG6; i++) {
    int lag = LAG6_LO + i;
    int j = NLAG6 - 1 - i;
    double e1 = pre6[s6 - lag + W6] - pre6[s6 - lag];
    c6[i] = norm_corr(xy[j], e0, e1);
  }
  /* local maxima over lags 8..96, keep the PN_PITCH_CANDS largest */
  for (i = 1; i + LAG6_LO <= LAG6_MAX; i++) {
    float v = c6[i];
    int lag = LAG6_LO + i;
    if (i == 1 && c6[0] > v && c6[0] > 0.0f) {
      v = c6[0]; /* peak at lag 7 (T < 64): refined from lag 8 */
    } else if (v <= 0.0f || v < c6[i - 1] || v <= c6[i + 1]) {
      continue;
    }
    if (npeak == PN_PITCH_CANDS) {
      if (peakc[PN_PITCH_CANDS - 1] >= v) continue;
      k = PN_PITCH_CANDS - 1;
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
  for (i = 0; i < npeak; i++) {
    PnPitchCand cand;
    if (refine(ps->x12, pre12, peak[i], &cand)) out->c[out->n++] = cand;
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
