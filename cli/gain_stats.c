/*
 * gain_stats.c - see gain_stats.h.
 */
#include "gain_stats.h"

#include <math.h>

void gain_stats_add(GainStats *s, const PercepnetFrameInfo *fi) {
  int b;
  for (b = 0; b < PERCEPNET_NB_BANDS; b++) {
    double g = fi->gain[b] > 1e-5f ? (double)fi->gain[b] : 1e-5; /* 1e-5 = -100 dB */
    double db = 20.0 * log10(g);
    long bin;
    if (db > 0.0) db = 0.0;
    bin = lround((db - GAIN_STATS_FLOOR_DB) * 10.0);
    if (bin < 0) bin = 0;
    if (bin >= GAIN_STATS_BINS) bin = GAIN_STATS_BINS - 1;
    s->hist[bin]++;
    s->sum_db += db;
    s->values++;
  }
  s->rows++;
  if (fi->vad >= 0.5f) s->speech_rows++;
}

double gain_stats_mean_db(const GainStats *s) { return s->values ? s->sum_db / (double)s->values : 0.0; }

double gain_stats_percentile_db(const GainStats *s, double p) {
  long long need, acc = 0;
  int i;
  if (!s->values) return 0.0;
  need = (long long)ceil(p / 100.0 * (double)s->values);
  if (need < 1) need = 1;
  for (i = 0; i < GAIN_STATS_BINS; i++) {
    acc += s->hist[i];
    if (acc >= need) return GAIN_STATS_FLOOR_DB + 0.1 * i;
  }
  return 0.0;
}

double gain_stats_speech_share(const GainStats *s) {
  return s->rows ? (double)s->speech_rows / (double)s->rows : 0.0;
}
