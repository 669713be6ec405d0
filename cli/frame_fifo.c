/*
 * frame_fifo.c - see frame_fifo.h.
 */
#include "frame_fifo.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_FIFO_FIRST_CAP 8192 /* frames: 170 ms at 48 kHz */

void frame_fifo_init(FrameFifo *f, int channels) {
  assert(channels >= 1);
  memset(f, 0, sizeof *f);
  f->channels = channels;
}

int frame_fifo_push(FrameFifo *f, const float *x, long n) {
  const long ch = f->channels;
  long i;
  assert(ch >= 1 && n >= 0);
  if (f->count + n > f->cap) {
    long cap = f->cap ? f->cap : FRAME_FIFO_FIRST_CAP, k;
    float *r;
    while (cap < f->count + n) cap *= 2;
    r = malloc(sizeof *r * (size_t)cap * (size_t)ch);
    if (!r) return -1;
    for (k = 0; k < f->count; k++)
      memcpy(r + k * ch, f->buf + ((f->head + k) % f->cap) * ch, sizeof *r * (size_t)ch);
    free(f->buf);
    f->buf = r;
    f->cap = cap;
    f->head = 0;
  }
  for (i = 0; i < n; i++)
    memcpy(f->buf + ((f->head + f->count + i) % f->cap) * ch, x + i * ch, sizeof *x * (size_t)ch);
  f->count += n;
  return 0;
}

const float *frame_fifo_front(const FrameFifo *f) {
  assert(f->count > 0 && f->head >= 0 && f->head < f->cap);
  return f->buf + f->head * f->channels;
}

void frame_fifo_pop(FrameFifo *f) {
  assert(f->count > 0);
  f->head = (f->head + 1) % f->cap;
  f->count--;
}

void frame_fifo_free(FrameFifo *f) {
  free(f->buf);
  f->buf = NULL;
  f->cap = f->head = f->count = 0;
}
