/*
 * report.h - the per-file JSON object of --report (one line, JSON Lines),
 * and the one-line human summary printed at -v.
 */
#ifndef CLI_REPORT_H
#define CLI_REPORT_H

#include "options.h"

typedef struct {
  const char *input, *clean, *output;
  const char *status;           /* "ok", "skipped", "failed" */
  const char *error;            /* NULL when none */
  double duration_s;            /* input length in seconds */
  int input_rate, output_rate;  /* Hz */
  int channels;
  long long frames_in, frames_out;
  const char *input_format, *output_format;
  int resampled_in, resampled_out; /* 1 when converted to / from 48 kHz */
  const char *resample_quality;
  int delay_samples;            /* core delay, samples at 48 kHz, compensated */
  double speed;                 /* x real time */
  double gain_mean_db, gain_p10_db;
  double speech_share;          /* share of (frame, channel) rows with VAD >= 0.5 */
  long long frames_analysed;    /* (frame, channel) rows */
  double input_rms_dbfs, input_peak_dbfs, output_rms_dbfs, output_peak_dbfs;
  long long clipped, nonfinite;
  int truncated;                /* 1: the input ended before its header said */
  const char *md5;              /* NULL without --md5 */
  const char *model_id, *version, *cpu;
  const CliOptions *opt;
} ReportData;

/* One JSON object, no newline; malloc'd (NULL when out of memory). */
char *report_json(const ReportData *r);

#endif
