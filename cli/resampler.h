/*
 * resampler.h - streaming sample-rate conversion with libsamplerate's sinc
 * converters. Output is handed to a sink straight from the converter's own
 * buffer (no copy). Measured property relied on for alignment: with the
 * end-of-input flush, output sample k sits at input time k / ratio, i.e. the
 * converter adds no delay on the timeline (test/cli/test_alignment.sh).
 */
#ifndef CLI_RESAMPLER_H
#define CLI_RESAMPLER_H

#include <samplerate.h>

/* Receives n interleaved frames; returns 0 to go on, -1 to stop. */
typedef int (*ResampleSink)(void *ctx, const float *x, long n);

typedef struct {
  SRC_STATE *src;
  double ratio;     /* output rate / input rate */
  int channels;
  float *out;       /* out_frames * channels */
  long out_frames;
  long long frames_out; /* total frames handed to the sink */
} Resampler;

/* quality: RESAMPLE_* from options.h. Returns 0 or -1 + err. */
int resampler_init(Resampler *r, int in_rate, int out_rate, int channels, int quality,
                   char *err, unsigned long errlen);

/* Converts n frames (n may be 0); with end = 1 also flushes the converter's
 * tail. Returns 0, or -1 when the sink stopped or the converter failed. */
int resampler_push(Resampler *r, const float *x, long n, int end, ResampleSink sink, void *ctx);

void resampler_free(Resampler *r);

#endif
