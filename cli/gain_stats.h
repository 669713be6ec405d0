/*
 * gain_stats.h - per-file gain statistics for --report and -v: mean and 10th
 * percentile of the band gains in dB over all frames, bands and channels,
 * and the share of speech frames. Constant memory: the percentile comes from
 * a histogram of 0.1 dB bins over [-100, 0] dB (gains are clamped to that
 * range first), so it is exact to 0.1 dB.
 */
#ifndef CLI_GAIN_STATS_H
#define CLI_GAIN_STATS_H

#include "percepnet.h"

#define GAIN_STATS_FLOOR_DB (-100.0)
#define GAIN_STATS_BINS 1001 /* 0.1 dB each, bin 0 = -100 dB, bin 1000 = 0 dB */

typedef struct {
  long long hist[GAIN_STATS_BINS];
  long long values;      /* gains counted */
  double sum_db;         /* sum of their dB values */
  long long rows;        /* (frame, channel) pairs */
  long long speech_rows; /* of which with VAD >= 0.5 */
} GainStats;

void gain_stats_add(GainStats *s, const PercepnetFrameInfo *fi);
double gain_stats_mean_db(const GainStats *s);
double gain_stats_percentile_db(const GainStats *s, double p); /* p in [0, 100] */
double gain_stats_speech_share(const GainStats *s);            /* [0, 1] */

#endif
