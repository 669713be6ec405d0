/*
 * resampler.c - libsamplerate wrapper, see resampler.h.
 */
#include "resampler.h"

#include "options.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output buffer: 4096 frames = 85 ms at 48 kHz; enough per call to keep the
 * per-call overhead of src_process negligible. */
#define RS_OUT_FRAMES 4096

int resampler_init(Resampler *r, int in_rate, int out_rate, int channels, int quality,
                   char *err, unsigned long errlen) {
  int type, e = 0;
  memset(r, 0, sizeof *r);
  switch (quality) {
    case RESAMPLE_BEST: type = SRC_SINC_BEST_QUALITY; break;
    case RESAMPLE_MEDIUM: type = SRC_SINC_MEDIUM_QUALITY; break;
    default: type = SRC_SINC_FASTEST; break;
  }
  r->ratio = (double)out_rate / (double)in_rate;
  r->channels = channels;
  r->out_frames = RS_OUT_FRAMES;
  r->out = malloc(sizeof *r->out * (size_t)RS_OUT_FRAMES * (size_t)channels);
  r->src = src_new(type, channels, &e);
  if (!r->src || !r->out || !src_is_valid_ratio(r->ratio)) {
    snprintf(err, errlen, "cannot resample %d -> %d Hz: %s", in_rate, out_rate,
             r->src ? "ratio out of range" : src_strerror(e));
    resampler_free(r);
    return -1;
  }
  return 0;
}

int resampler_push(Resampler *r, const float *x, long n, int end, ResampleSink sink, void *ctx) {
  SRC_DATA d;
  memset(&d, 0, sizeof d);
  d.src_ratio = r->ratio;
  d.data_in = x;
  d.input_frames = n;
  d.end_of_input = end;
  for (;;) {
    int e;
    d.data_out = r->out;
    d.output_frames = r->out_frames;
    e = src_process(r->src, &d);
    if (e) return -1;
    assert(d.input_frames_used <= d.input_frames);
    assert(d.output_frames_gen <= r->out_frames);
    if (d.output_frames_gen > 0) {
      r->frames_out += d.output_frames_gen;
      if (sink(ctx, r->out, d.output_frames_gen)) return -1;
    }
    /* no arithmetic on the NULL data_in of a flush (undefined behaviour) */
    if (d.input_frames_used > 0) d.data_in += d.input_frames_used * r->channels;
    d.input_frames -= d.input_frames_used;
    /* done when all input is taken and (when flushing) nothing more comes */
    if (d.input_frames == 0 && (!end ? d.output_frames_gen < r->out_frames
                                     : d.output_frames_gen == 0))
      return 0;
  }
}

void resampler_free(Resampler *r) {
  if (r->src) src_delete(r->src);
  free(r->out);
  r->src = NULL;
  r->out = NULL;
}
