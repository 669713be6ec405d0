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
#define HEAD PERCEPNET_PREROLL_MAX /* samples per channel buffered for the pre-roll */

_Static_assert(HEAD % FRAME == 0, "the pre-roll head is whole frames");

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
  frame_fifo_init(&ds->clean_fifo, channels);
  ds->block = calloc((size_t)FRAME * 3 * (size_t)channels, sizeof *ds->block);
  ds->inter = calloc((size_t)FRAME * (size_t)channels, sizeof *ds->inter);
  ds->head = calloc((size_t)HEAD * (size_t)(oracle ? 2 : 1) * (size_t)channels, sizeof *ds->head);
  ds->ext = calloc((size_t)HEAD * (size_t)(oracle ? 2 : 1) * (size_t)channels, sizeof *ds->ext);
  ds->collecting = 1;
  if (!ds->block || !ds->inter || !ds->head || !ds->ext) {
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
  return frame_fifo_push(&ds->clean_fifo, x, n);
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

void ds_set_preroll(DenoiseStream *ds, int on) {
  /* only before the first sample: the head is collected from there on */
  assert(ds->pushed == 0);
  ds->collecting = on != 0;
}

int ds_set_stages(DenoiseStream *ds, int stages) {
  int c;
  for (c = 0; c < ds->channels; c++)
    if (percepnet_set_stages(ds->st[c], stages) != PERCEPNET_OK) return -1;
  return 0;
}

/* The head of channel c: noisy samples; clean ones (oracle mode only). */
static float *head_noisy(const DenoiseStream *ds, int c) { return ds->head + (size_t)HEAD * (size_t)c; }
static float *head_clean(const DenoiseStream *ds, int c) {
  return ds->head + (size_t)HEAD * (size_t)(ds->channels + c);
}

/* Oracle: moves `take` clean frames from the ring into dst[c] + off. */
static int pop_clean(DenoiseStream *ds, float *const *dst, long off, long take) {
  long k;
  int c;
  if (ds->clean_fifo.count < take) return -1;
  for (k = 0; k < take; k++) {
    const float *f = frame_fifo_front(&ds->clean_fifo);
    for (c = 0; c < ds->channels; c++) dst[c][off + k] = f[c];
    frame_fifo_pop(&ds->clean_fifo);
  }
  return 0;
}

/* Fills ds->ext (per channel HEAD samples, then as many clean ones) with
 * the mirrored extension of the head to the left, in time order reversed:
 * ext[t] is the sample at time -1 - t. The head (L = head_n samples)
 * reflected at time 0 gives head[t] for t < L; a head shorter than HEAD is
 * reflected again at its far end, back and forth (period 2L), so that a
 * short stream still gets HEAD samples of pre-roll with no jump anywhere. */
static void mirror_head(DenoiseStream *ds) {
  const long L = ds->head_n;
  int c, k;
  for (k = 0; k < (ds->oracle ? 2 : 1); k++)
    for (c = 0; c < ds->channels; c++) {
      const float *h = k ? head_clean(ds, c) : head_noisy(ds, c);
      float *e = ds->ext + (size_t)HEAD * (size_t)(k * ds->channels + c);
      long t;
      for (t = 0; t < HEAD; t++) {
        long u = t % (2 * L);
        e[t] = h[u < L ? u : 2 * L - 1 - u];
      }
    }
}

/* Sample t of a mirrored extension e (HEAD samples, ext[t] = time -1 - t)
 * reflected back and forth to any t (period 2 HEAD, no jump), as
 * percepnet_preroll() extends its argument. */
static float ext_at(const float *e, long t) {
  const long u = t % (2L * HEAD);
  return e[u < HEAD ? u : 2L * HEAD - 1 - u];
}

/* Runs the chain over PERCEPNET_PREROLL_SPAN samples of the mirror image of
 * the stream's start (mirror_head, extended by ext_at) ending at time 0, and
 * discards the output: the real
 * start is then processed as if its mirror image had preceded it. Every
 * mode gets the same mirrored start: plain channels through
 * percepnet_preroll(), linked channels through percepnet_process_linked(),
 * oracle mode through percepnet_process_oracle() with the clean head
 * mirrored alike. Nothing when the stream holds less than one frame.
 * ds->in/ds->clean/ds->out serve as scratch (unused while the head is
 * collected). */
static int preroll(DenoiseStream *ds) {
  const int ch = ds->channels;
  int c, f, i, e = 0;
  if (ds->head_n < FRAME) return 0;
  mirror_head(ds);
  if (!ds->oracle && !ds->linked) {
    /* percepnet_preroll() reads its argument time-reversed: ext[t] is time -1 - t */
    for (c = 0; c < ch && !e; c++) e = percepnet_preroll(ds->st[c], ds->ext + (size_t)HEAD * c, HEAD);
    return e ? -1 : 0;
  }
  for (f = PERCEPNET_PREROLL_SPAN / FRAME - 1; f >= 0 && !e; f--) {
    for (c = 0; c < ch; c++) {
      const float *en = ds->ext + (size_t)HEAD * c;
      const float *ec = ds->ext + (size_t)HEAD * (ch + c);
      for (i = 0; i < FRAME; i++) {
        const long t = (long)f * FRAME + FRAME - 1 - i;
        ds->in[c][i] = ext_at(en, t);
        if (ds->oracle) ds->clean[c][i] = ext_at(ec, t);
      }
    }
    if (ds->oracle) {
      for (c = 0; c < ch && !e; c++)
        e = percepnet_process_oracle(ds->st[c], ds->out[c], ds->in[c], ds->clean[c]);
    } else {
      e = percepnet_process_linked(ds->st, ch, (float *const *)ds->out, (const float *const *)ds->in);
    }
  }
  return e ? -1 : 0;
}

/* End of the head (full, or the stream ended): pre-roll, then the head's
 * frames in order, the part frame left in ds->in for ds_push to complete. */
static int start_stream(DenoiseStream *ds) {
  const int frames = ds->head_n / FRAME, rest = ds->head_n % FRAME;
  int c, f;
  assert(ds->collecting && ds->pos == 0 && ds->head_n <= HEAD);
  ds->collecting = 0;
  if (preroll(ds)) return -1;
  for (f = 0; f <= frames; f++) {
    const int len = f < frames ? FRAME : rest;
    for (c = 0; c < ds->channels; c++) {
      memcpy(ds->in[c], head_noisy(ds, c) + (size_t)f * FRAME, sizeof(float) * (size_t)len);
      if (ds->oracle)
        memcpy(ds->clean[c], head_clean(ds, c) + (size_t)f * FRAME, sizeof(float) * (size_t)len);
    }
    if (f < frames && run_frame(ds)) return -1;
  }
  ds->pos = rest;
  return 0;
}

/* Marks the stream failed (every later push or finish returns -1); -1. */
static int fail(DenoiseStream *ds) {
  ds->failed = 1;
  return -1;
}

/* Deinterleaves `take` frames of x into dst[c] + off. */
static void split(const DenoiseStream *ds, float *const *dst, long off, const float *x, long take) {
  int c;
  long k;
  for (c = 0; c < ds->channels; c++)
    for (k = 0; k < take; k++) dst[c][off + k] = x[k * ds->channels + c];
}

int ds_push(void *opaque, const float *x, long n) {
  DenoiseStream *ds = opaque;
  float *hn[DS_MAX_CHANNELS], *hc[DS_MAX_CHANNELS];
  long i = 0;
  int c;
  if (ds->failed) return -1;
  ds->pushed += n;
  for (c = 0; c < ds->channels; c++) {
    hn[c] = head_noisy(ds, c);
    hc[c] = ds->oracle ? head_clean(ds, c) : NULL;
  }
  while (i < n) {
    long take = (ds->collecting ? HEAD - ds->head_n : FRAME - ds->pos);
    if (take > n - i) take = n - i;
    assert(take > 0 && (ds->collecting ? ds->head_n + take <= HEAD : ds->pos + take <= FRAME));
    if (ds->collecting) {
      split(ds, hn, ds->head_n, x + i * ds->channels, take);
      if (ds->oracle && pop_clean(ds, hc, ds->head_n, take)) return fail(ds);
      ds->head_n += (int)take;
      i += take;
      if (ds->head_n == HEAD && start_stream(ds)) return fail(ds);
      continue;
    }
    split(ds, ds->in, ds->pos, x + i * ds->channels, take);
    if (ds->oracle && pop_clean(ds, ds->clean, ds->pos, take)) return fail(ds);
    ds->pos += (int)take;
    i += take;
    if (ds->pos == FRAME) {
      ds->pos = 0;
      if (run_frame(ds)) return fail(ds);
    }
  }
  return 0;
}

int ds_finish(DenoiseStream *ds, long long total) {
  float zeros[FRAME * DS_MAX_CHANNELS];
  memset(zeros, 0, sizeof zeros);
  if (ds->failed) return -1;
  ds->limit = total;
  if (ds->collecting && start_stream(ds)) return fail(ds);
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
  frame_fifo_free(&ds->clean_fifo);
  free(ds->head);
  free(ds->ext);
  ds->block = ds->inter = ds->head = ds->ext = NULL;
}
