/*
 * frame_fifo.h - a first-in first-out queue of interleaved float frames
 * (one frame = `channels` samples) that grows as needed: the CLI's queues
 * of frames waiting for their partner (oracle clean frames waiting for the
 * noisy ones, input frames waiting for the output they are compared with).
 * A zeroed FrameFifo is not usable: call frame_fifo_init first.
 */
#ifndef CLI_FRAME_FIFO_H
#define CLI_FRAME_FIFO_H

typedef struct {
  float *buf;   /* cap frames, a ring; NULL until the first push */
  long cap;     /* frames allocated: 0, then 8192 doubled as often as needed */
  long head;    /* index of the oldest frame, 0..cap-1 */
  long count;   /* frames queued, 0..cap */
  int channels; /* samples per frame, >= 1 */
} FrameFifo;

void frame_fifo_init(FrameFifo *f, int channels);
/* Appends n frames of x (n * channels floats). 0, or -1 when out of memory
 * (the queue is then unchanged). */
int frame_fifo_push(FrameFifo *f, const float *x, long n);
/* The oldest frame; only when count > 0. */
const float *frame_fifo_front(const FrameFifo *f);
/* Drops the oldest frame; only when count > 0. */
void frame_fifo_pop(FrameFifo *f);
void frame_fifo_free(FrameFifo *f);

#endif
