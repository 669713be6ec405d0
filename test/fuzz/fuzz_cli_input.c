/*
 * fuzz_cli_input.c - libFuzzer harness for the CLI's input path on arbitrary
 * bytes: cli/audio_in.c (libsndfile open + checks + float reads), then, as
 * percepnet does, cli/resampler.c to 48 kHz and cli/denoise_stream.c into the
 * core, with the CLI's own functions linked in.
 *
 * Input layout: byte 0 bit 0 = 0: the rest is a file of any container
 * libsndfile can guess; = 1: raw PCM described by bytes 1-3 (rate from
 * rates[], channels 0..9, encoding and bits from raws[], endianness), the
 * values the --raw-* options can express, invalid ones included. Byte 0
 * bits 1-2 pick the resampler quality, bit 3 linked channels. The data is
 * written to a file on tmpfs because audio_in_open() takes a path.
 *
 * The whole file is decoded (up to MAX_DECODE frames); its first
 * MAX_DENOISE_S seconds go on through the resampler and the core.
 * Checked: decoded samples are finite (audio_in replaces NaN/Inf); the
 * stream comes out with exactly as many 48 kHz frames as went in (the
 * alignment promise of denoise_stream.h), finite and within +-2.
 */
#include "audio_in.h"
#include "denoise_stream.h"
#include "options.h"
#include "resampler.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DECODE 1048576L  /* frames decoded per input at most */
#define MAX_DENOISE_S 0.25   /* seconds of it denoised: bounds one run's time */
#define BLOCK 1024L
#define OUTPUT_BOUND 2.0f    /* PN_OUTPUT_CLAMP in lib/percepnet.c */

static const int rates[8] = {8000, 16000, 44100, 48000, 192000, 7999, 0, 192001};
static const struct {
  int encoding, bits;
} raws[8] = {{ENCODING_SIGNED, 16}, {ENCODING_SIGNED, 24}, {ENCODING_SIGNED, 32},
             {ENCODING_SIGNED, 8},  {ENCODING_UNSIGNED, 8}, {ENCODING_FLOAT, 32},
             {ENCODING_FLOAT, 64},  {ENCODING_UNSIGNED, 16}};

typedef struct {
  long long frames;
  int channels;
} OutCount;

static int count_sink(void *ctx, const float *x, long n) {
  OutCount *o = ctx;
  long i;
  for (i = 0; i < n * o->channels; i++)
    if (!isfinite(x[i]) || fabsf(x[i]) > OUTPUT_BOUND) abort();
  o->frames += n;
  return 0;
}

static char path[64];
static int fd = -1;

static int write_file(const uint8_t *p, size_t n) {
  size_t done = 0;
  if (fd < 0) {
    snprintf(path, sizeof path, "/dev/shm/pn-fuzz-cli-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0) {
      snprintf(path, sizeof path, "/tmp/pn-fuzz-cli-XXXXXX");
      fd = mkstemp(path);
    }
    if (fd < 0) abort();
  }
  if (ftruncate(fd, 0) != 0) abort();
  while (done < n) {
    ssize_t w = pwrite(fd, p + done, n - done, (off_t)done);
    if (w <= 0) abort();
    done += (size_t)w;
  }
  return 0;
}

static void cleanup(void) {
  if (fd >= 0) {
    close(fd);
    unlink(path);
  }
}

static void run(const CliOptions *opt, int quality, int linked) {
  char err[512];
  AudioIn in;
  Resampler rs;
  DenoiseStream ds;
  OutCount oc = {0, 0};
  float *buf;
  long long total_in = 0, total_48k, decoded = 0, denoise_limit;
  int ch, resample;
  if (audio_in_open(&in, path, &opt->raw, err, sizeof err) != 0) {
    if (!err[0]) abort(); /* a failure must say why */
    return;
  }
  ch = in.info.channels;
  if (ch < 1 || ch > AUDIO_MAX_CHANNELS || in.info.samplerate < AUDIO_MIN_RATE ||
      in.info.samplerate > AUDIO_MAX_RATE)
    abort(); /* audio_in_open promised these */
  oc.channels = ch;
  resample = in.info.samplerate != PERCEPNET_SAMPLE_RATE;
  if (resample && resampler_init(&rs, in.info.samplerate, PERCEPNET_SAMPLE_RATE, ch, quality,
                                 err, sizeof err) != 0) {
    audio_in_close(&in);
    return;
  }
  if (ds_init(&ds, NULL, ch, linked, 0, 1, -1, 0.0f, count_sink, &oc, NULL, NULL, err,
              sizeof err) != 0)
    abort();
  denoise_limit = (long long)(MAX_DENOISE_S * in.info.samplerate);
  buf = malloc(sizeof *buf * (size_t)BLOCK * (size_t)ch);
  if (!buf) abort();
  while (decoded < MAX_DECODE) {
    long got = audio_in_read(&in, buf, BLOCK, err, sizeof err), i;
    if (got <= 0) break;
    if (got > BLOCK) abort();
    for (i = 0; i < got * ch; i++)
      if (!isfinite(buf[i])) abort();
    decoded += got;
    if (total_in >= denoise_limit) continue;
    if (got > denoise_limit - total_in) got = (long)(denoise_limit - total_in);
    total_in += got;
    if (resample ? resampler_push(&rs, buf, got, 0, ds_push, &ds) : ds_push(&ds, buf, got))
      abort();
  }
  if (resample && resampler_push(&rs, NULL, 0, 1, ds_push, &ds)) abort(); /* as process_file.c flushes */
  total_48k = resample ? rs.frames_out : total_in;
  if (ds.pushed != total_48k) abort();
  if (ds_finish(&ds, total_48k) != 0) abort();
  if (oc.frames != total_48k) abort(); /* output aligned 1:1 with the input */
  free(buf);
  ds_free(&ds);
  if (resample) resampler_free(&rs);
  audio_in_close(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int registered;
  CliOptions opt;
  size_t skip = 1;
  uint8_t cfg;
  if (size < 1) return 0;
  if (!registered) {
    atexit(cleanup);
    registered = 1;
  }
  cfg = data[0];
  memset(&opt, 0, sizeof opt);
  if (cfg & 1) {
    if (size < 4) return 0;
    opt.raw.enabled = 1;
    opt.raw.rate = rates[data[1] & 7];
    opt.raw.channels = data[2] % 10;
    opt.raw.encoding = raws[data[3] & 7].encoding;
    opt.raw.bits = raws[data[3] & 7].bits;
    opt.raw.big_endian = (data[3] >> 3) & 1;
    skip = 4;
  }
  write_file(data + skip, size - skip);
  run(&opt, (cfg >> 1) & 3, (cfg >> 3) & 1);
  return 0;
}
