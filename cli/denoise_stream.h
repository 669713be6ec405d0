/*
 * denoise_stream.h - runs the core on a 48 kHz interleaved stream of any
 * length: cuts it into 480-sample frames per channel, drops the core's first
 * percepnet_get_delay() output samples and, at the end, feeds zeros until
 * exactly as many samples came out as went in. Output sample k is therefore
 * aligned with input sample k.
 *
 * Start of the stream: the first PERCEPNET_PREROLL_MAX (9600) samples per
 * channel are held back (200 ms; fewer when the stream is shorter) until
 * the chain has been pre-rolled over 0.5 s (PERCEPNET_PREROLL_SPAN) of their
 * mirror image reflected back and forth (percepnet_preroll, see
 * percepnet.h), so that the network's memory and the gain and pitch
 * history have settled when the real first frame is processed and the
 * start carries no burst of unsuppressed noise. Deterministic: the output
 * depends on the input only. After the head, frames run as they arrive.
 */
#ifndef CLI_DENOISE_STREAM_H
#define CLI_DENOISE_STREAM_H

#include "frame_fifo.h"
#include "percepnet.h"
#include "resampler.h"

#define DS_MAX_CHANNELS 8

/* Called after each core frame whose output lies (partly) on the input
 * timeline: frame counts from 0 at the frame that holds input time 0 and
 * time_s is the frame's start on the input timeline (delay compensated). */
typedef void (*FrameSink)(void *ctx, long long frame, double time_s,
                          PercepnetState *const *st, int channels);

typedef struct {
  int channels;
  int linked;             /* percepnet_process_linked */
  int oracle;             /* percepnet_process_oracle with the clean stream */
  int delay;              /* core delay, samples at 48 kHz */
  PercepnetState *st[DS_MAX_CHANNELS];
  float *in[DS_MAX_CHANNELS], *out[DS_MAX_CHANNELS], *clean[DS_MAX_CHANNELS];
  float *block;           /* the per-channel frame buffers above, one allocation */
  float *inter;           /* one interleaved output frame, 480 * channels */
  int pos;                /* samples of the current frame filled, 0..479 */
  long long calls;        /* core frames processed */
  long long pushed;       /* 48 kHz frames pushed in */
  long long emitted;      /* 48 kHz frames handed to the sink */
  long long limit;        /* emit no more than this (set by ds_finish) */
  FrameFifo clean_fifo;   /* oracle: clean 48 kHz frames not yet used */
  ResampleSink sink;
  void *sink_ctx;
  FrameSink on_frame;
  void *frame_ctx;
  int failed;             /* a core or sink call failed */
  int collecting;         /* 1 while the head for the pre-roll is gathered */
  int head_n;             /* samples per channel in the head, 0..PERCEPNET_PREROLL_MAX */
  float *head;            /* per channel PERCEPNET_PREROLL_MAX noisy samples,
                             then (oracle) as many clean ones */
  float *ext;             /* the same layout: the head's mirror image, time reversed */
} DenoiseStream;

/* Creates one state per channel. cpu: level for percepnet_set_cpu, or -1.
 * Returns 0 or -1 + err. */
int ds_init(DenoiseStream *ds, const PercepnetModel *model, int channels, int linked,
            int oracle, int oracle_comb, int cpu, float atten_lim_db,
            ResampleSink sink, void *sink_ctx, FrameSink on_frame, void *frame_ctx,
            char *err, unsigned long errlen);

/* Pre-roll on (the default after ds_init) or off (the chain starts from
 * its reset state, as percepnet_create() leaves it). Only before ds_push. */
void ds_set_preroll(DenoiseStream *ds, int on);

/* Stages left on in every channel's state (percepnet_set_stages). Returns
 * 0 or -1 for flags the core does not know. */
int ds_set_stages(DenoiseStream *ds, int stages);

/* Oracle mode: clean 48 kHz frames, pushed before the noisy frames they go with. */
int ds_push_clean(void *ds, const float *x, long n);
/* Noisy (or plain) 48 kHz interleaved frames. Matches ResampleSink. */
int ds_push(void *ds, const float *x, long n);
/* Input ended after `total` 48 kHz frames: flushes the delay line. */
int ds_finish(DenoiseStream *ds, long long total);

void ds_free(DenoiseStream *ds);

#endif
