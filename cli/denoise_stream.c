/*
 * denoise_stream.c - see denoise_stream.h.
 */
#include "denoise_stream.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME PERCEPNET_FRAME_SIZE

int ds_init(DenoiseStream *ds, const PercepnetModel *model, int channels, int linked,
            int oracle, int oracle_comb, int cpu, float atten_lim_db,
            ResampleSink sink, void *sink_ctx, FrameSink on_frame, void *frame_ctx,
            char *err, unsigned long errlen) {
  int c, e = 0;
  memset(ds, 0, sizeof *ds);
  assert(channels >= 1 && channels <= DS_MAX_CHANNELS);
  ds->channels = channels;
  ds->linked = linked && channels > 1 && !oracle;
  ds->oracle = oracle;
  ds->limit = LLONG_MAX;
  ds->sink = sink;
  ds->sink_ctx = sink_ctx;
  ds->on_frame = on_frame;
  ds->frame_ctx = frame_ctx;
  ds->block = calloc((size_t)FRAME * 3 * (size_t)channels, sizeof *ds->block);
  ds->inter = calloc((size_t)FRAME * (size_t)channels, sizeof *ds->inter);
  if (!ds->block || !ds->inter) {
    snprintf(err, errlen, "out of memory");
    ds_free(ds);
    return -1;
  }
  for (c = 0; c < channels; c++) {
    ds->in[c] = ds->block + (size_t)FRAME * (size_t)(3 * c);
    ds->out[c] = ds->in[c] + FRAME;
    ds->clean[c] = ds->in[c] + 2 * FRAME;
    ds->st[c] = percepnet_create(model, &e);
    if (!ds->st[c]) {
      snprintf(err, errlen, "cannot create the denoiser: %s", percepnet_strerror(e));
      ds_free(ds);
      return -1;
    }
    e = 0;
    if (cpu >= 0) e = percepnet_set_cpu(ds->st[c], cpu);
    if (!e && atten_lim_db > 0.0f) e = percepnet_set_atten_limit(ds->st[c], atten_lim_db);
    if (!e && oracle) e = percepnet_set_oracle_comb(ds->st[c], oracle_comb);
    if (e) {
      snprintf(err, errlen, "cannot configure the denoiser: %s", percepnet_strerror(e));
      ds_free(ds);
      return -1;
    }
  }
  ds->delay = percepnet_get_delay(ds->st[0]);
  if (ds->delay < 0) {
    snprintf(err, errlen, "the core reports a negative delay");
    ds_free(ds);
    return -1;
  }
  return 0;
}

int ds_push_clean(void *opaque, const float *x, long n) {
  DenoiseStream *ds = opaque;
  long ch = ds->channels, i;
  if (ds->cring_count + n > ds->cring_cap) {
    long cap = ds->cring_cap ? ds->cring_cap : 8192, k;
    float *r;
    while (cap < ds->cring_count + n) cap *= 2;
    r = malloc(sizeof *r * (size_t)cap * (size_t)ch);
    if (!r) return -1;
    for (k = 0; k < ds->cring_count; k++)
      memcpy(r + k * ch, ds->cring + ((ds->cring_head + k) % ds->cring_cap) * ch,
             sizeof *r * (size_t)ch);
    free(ds->cring);
    ds->cring = r;
    ds->cring_cap = cap;
    ds->cring_head = 0;
  }
  for (i = 0; i < n; i++) {
    long slot = (ds->cring_head + ds->cring_count + i) % ds->cring_cap;
    memcpy(ds->cring + slot * ch, x + i * ch, sizeof *x * (size_t)ch);
  }
  ds->cring_count += n;
  return 0;
}

/* Runs the core on the full frame and hands its on-timeline part to the sink. */
static int run_frame(DenoiseStream *ds) {
  int c, e = 0, i;
  long long start = ds->calls * FRAME - ds->delay; /* output frame start on the input timeline */
  long long from, to;
  if (ds->oracle) {
    for (c = 0; c < ds->channels && !e; c++)
      e = percepnet_process_oracle(ds->st[c], ds->out[c], ds->in[c], ds->clean[c]);
  } else if (ds->linked) {
    e = percepnet_process_linked(ds->st, ds->channels, (float *const *)ds->out,
                                 (const float *const *)ds->in);
  } else {
    for (c = 0; c < ds->channels && !e; c++) e = percepnet_process(ds->st[c], ds->out[c], ds->in[c]);
  }
  ds->calls++;
  if (e) return -1;
  if (start + FRAME <= 0 || start >= ds->limit) return 0;
  if (ds->on_frame)
    ds->on_frame(ds->frame_ctx, (start + ds->delay) / FRAME - ds->delay / FRAME,
                 (double)start / PERCEPNET_SAMPLE_RATE, ds->st, ds->channels);
  from = start < 0 ? -start : 0;
  to = FRAME;
  if (start + to > ds->limit) to = ds->limit - start;
  for (i = (int)from; i < (int)to; i++)
    for (c = 0; c < ds->channels; c++) ds->inter[(i - from) * ds->channels + c] = ds->out[c][i];
  ds->emitted += to - from;
  return ds->sink(ds->sink_ctx, ds->inter, (long)(to - from));
}

int ds_push(void *opaque, const float *x, long n) {
  DenoiseStream *ds = opaque;
  const int ch = ds->channels;
  long i = 0;
  int c;
  if (ds->failed) return -1;
  ds->pushed += n;
  while (i < n) {
    long take = FRAME - ds->pos;
    if (take > n - i) take = n - i;
    for (c = 0; c < ch; c++) {
      float *dst = ds->in[c] + ds->pos;
      const float *src = x + i * ch + c;
      long k;
      for (k = 0; k < take; k++) dst[k] = src[k * ch];
    }
    if (ds->oracle) {
      long k;
      if (ds->cring_count < take) {
        ds->failed = 1;
        return -1;
      }
      for (k = 0; k < take; k++) {
        const float *f = ds->cring + ds->cring_head * ch;
        for (c = 0; c < ch; c++) ds->clean[c][ds->pos + k] = f[c];
        ds->cring_head = (ds->cring_head + 1) % ds->cring_cap;
        ds->cring_count--;
      }
    }
    ds->pos += (int)take;
    i += take;
    if (ds->pos == FRAME) {
      ds->pos = 0;
      if (run_frame(ds)) {
        ds->failed = 1;
        return -1;
      }
    }
  }
  return 0;
}

int ds_finish(DenoiseStream *ds, long long total) {
  float zeros[FRAME * DS_MAX_CHANNELS];
  memset(zeros, 0, sizeof zeros);
  ds->limit = total;
  while (ds->emitted < total) {
    long n = FRAME - ds->pos;
    if (ds->oracle && ds_push_clean(ds, zeros, n)) return -1;
    if (ds_push(ds, zeros, n)) return -1;
  }
  return ds->failed ? -1 : 0;
}

void ds_free(DenoiseStream *ds) {
  int c;
  for (c = 0; c < DS_MAX_CHANNELS; c++) {
    if (ds->st[c]) percepnet_destroy(ds->st[c]);
    ds->st[c] = NULL;
  }
  free(ds->block);
  free(ds->inter);
  free(ds->cring);
  ds->block = ds->inter = ds->cring = NULL;
}
