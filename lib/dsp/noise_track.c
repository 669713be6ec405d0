/* noise_track.c - see noise_track.h. */
#include "noise_track.h"

#include <string.h>

void pn_noise_track_reset(PnNoiseTrack *nt) {
  memset(nt, 0, sizeof *nt);
}

/* E read into [0, PN_NOISE_MAX]; NaN fails both comparisons and reads 0. */
static float read_power(float e) {
  if (!(e > 0.0f)) return 0.0f;
  return e < PN_NOISE_MAX ? e : PN_NOISE_MAX;
}

/* Mean of the last PN_NOISE_RUN frames of band b (double sum: every term is
 * at most PN_NOISE_MAX, so nothing overflows). */
static float recent_mean(const PnNoiseTrack *nt, int b) {
  double sum = 0.0;
  int i;
  for (i = 0; i < PN_NOISE_RUN; i++) sum += nt->recent[i][b];
  return (float)(sum / PN_NOISE_RUN);
}

/* One frame of band b after the warm-up (its E is e, and the newest of the
 * recent frames); n: N_b(t - 1). Returns N_b(t). */
static float update_band(PnNoiseTrack *nt, int b, float e, float n) {
  const float m = recent_mean(nt, b);
  const float step = PN_NOISE_AVG * (m - n);
  const float cap = PN_NOISE_RISE * (n > PN_NOISE_CAP_FLOOR ? n : PN_NOISE_CAP_FLOOR);
  int look = 0; /* take the mean of the recent frames */
  if (e < PN_NOISE_DROP * n) {
    if (nt->run[b] < PN_NOISE_SKIP + PN_NOISE_RUN) nt->run[b]++;
  } else {
    nt->run[b] = 0;
  }
  n += step < cap ? step : cap; /* <= max(m, n): the step is at most a (m - n) */
  if (nt->run[b] == PN_NOISE_SKIP + PN_NOISE_RUN) {
    look = 1;
    nt->second[b] = PN_NOISE_RUN;
  } else if (nt->second[b] > 0) {
    look = --nt->second[b] == 0;
  }
  if (look && m < n) n = m;
  return n < PN_NOISE_MAX ? n : PN_NOISE_MAX; /* rounding could pass it by an ulp */
}

void pn_noise_track_push(PnNoiseTrack *nt, const float *E, float *prior) {
  float e[PN_BANDS];
  double sum = 0.0;
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    e[b] = read_power(E[b]);
    sum += e[b];
  }
  memcpy(prior, nt->frames > 0 ? nt->noise : e, sizeof e);
  if (sum / PN_BANDS < PN_NOISE_SILENT) return; /* silent: nothing learnt */
  nt->pos = (nt->pos + 1) % PN_NOISE_RUN;
  memcpy(nt->recent[nt->pos], e, sizeof e);
  if (nt->frames < PN_NOISE_WARM) { /* the mean of the frames so far */
    const float w = 1.0f / (float)(nt->frames + 1);
    for (b = 0; b < PN_BANDS; b++) {
      const float n = nt->noise[b] + w * (e[b] - nt->noise[b]);
      nt->noise[b] = n < PN_NOISE_MAX ? n : PN_NOISE_MAX;
    }
    nt->frames++;
    return;
  }
  for (b = 0; b < PN_BANDS; b++) nt->noise[b] = update_band(nt, b, e[b], nt->noise[b]);
}
