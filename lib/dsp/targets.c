/* targets.c - see targets.h. */
#include "targets.h"
#include "comb_filter.h"

#include <math.h>

#define N0 0.03f   /* noise-masking-tone threshold of g_att (targets.h) */
#define QMAX 0.999f /* keeps 1 - q^2 away from 0 */

static float clamp01(float v) { return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f; }

/* Harmonic share a in [0, QMAX] from a coherence q (targets.h). */
static float share(float q, float side_rho) {
  float q2 = q * q, u = q2 * (1.0f - side_rho);
  float a = 0.5f * (u + sqrtf(u * u + 4.0f * q2 * side_rho));
  return a < QMAX ? a : QMAX;
}

void pn_targets_compute(const float *Ey, const float *Ex, const float *qy,
                        const float *qx, int period, float *g, float *r) {
  const float rho = pn_comb_rho(period);
  const float side_rho = pn_comb_side_rho(period);
  const float w0 = pn_comb_centre(period);
  const float qa = 1.0f + rho - 2.0f * w0; /* > 0 for both combs */
  const float qb = 2.0f * (1.0f - w0);
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    float gain = sqrtf((Ex[b] + 1e-12f) / (Ey[b] + 1e-12f));
    float ay = share(clamp01(qy[b]), side_rho);
    float ax = share(clamp01(qx[b]), side_rho);
    float s = 0.0f;
    if (ax > ay) {
      float k = ay * (1.0f - ax) / (ax * (1.0f - ay));
      if (k <= rho) {
        float ap = ay / (ay + rho * (1.0f - ay));
        s = 1.0f;
        gain *= sqrtf((1.0f + N0 - ax) / (1.0f + N0 - ap));
      } else {
        float disc = qb * qb - 4.0f * qa * (1.0f - k);
        s = (qb - sqrtf(disc > 0.0f ? disc : 0.0f)) / (2.0f * qa);
      }
    }
    g[b] = clamp01(gain);
    r[b] = clamp01(s);
  }
}

void pn_targets_gain_only(const float *Ey, const float *Ex, float *g) {
  int b;
  for (b = 0; b < PN_BANDS; b++) g[b] = clamp01(sqrtf((Ex[b] + 1e-12f) / (Ey[b] + 1e-12f)));
}

void pn_vad_target_reset(PnVadTarget *v) { v->peak_db = -100.0f; }

float pn_vad_target(PnVadTarget *v, float clean_power) {
  float db = 10.0f * log10f(clean_power + 1e-12f);
  v->peak_db -= 0.05f; /* 5 dB/s at 100 frames/s */
  if (db > v->peak_db) v->peak_db = db;
  if (db > -90.0f && db > v->peak_db - 30.0f) return 1.0f;
  if (db < -100.0f || db < v->peak_db - 40.0f) return 0.0f;
  return -1.0f;
}
