/*
 * audio_in.h - opens any input libsndfile reads (a path, "-" for stdin, a
 * named pipe or device such as /dev/stdin, read like stdin, or raw PCM
 * described by --raw-*), checks it, and reads float frames in
 * [-1, 1] with NaN/Inf samples replaced by 0.
 */
#ifndef CLI_AUDIO_IN_H
#define CLI_AUDIO_IN_H

#include "options.h"

#include <sndfile.h>
#include <stddef.h>

#define AUDIO_MIN_RATE 8000    /* Hz */
#define AUDIO_MAX_RATE 192000  /* Hz */
#define AUDIO_MAX_CHANNELS 8

typedef struct {
  SNDFILE *sf;
  SF_INFO info;             /* rate, channels, format; frames may be a guess */
  const char *name;         /* the path as given, for messages */
  long long nonfinite;      /* NaN/Inf samples replaced by 0 so far */
  int is_float;             /* float/double samples: the only ones that can be NaN/Inf */
  long long frames_read;    /* frames returned so far */
  long long trailing_bytes; /* raw PCM file: bytes after the last whole frame (ignored) */
  int at_end;               /* 1 once a read came back short: the end was reached */
  int truncated;            /* 1 when the data ended before the file said it would
                               (set at the end) */
} AudioIn;

/* Opens and validates; returns 0, or -1 with a one-line reason in err. */
int audio_in_open(AudioIn *in, const char *path, const RawFormat *raw, char *err, size_t errlen);

/* Reads up to frames frames (interleaved) into buf; returns frames read,
 * 0 at the end, -1 on a read error (reason in err). At the end, sets
 * truncated when the file was cut short: a WAV/AIFF-style chunk shorter
 * than its header says (a streaming placeholder size of 2^31 - 2^24 or more
 * does not count), an Ogg stream without its end-of-stream page, or MP3
 * data shorter than its frame count. */
long audio_in_read(AudioIn *in, float *buf, long frames, char *err, size_t errlen);

void audio_in_close(AudioIn *in);

/* Beyond this |sample| a float value is not audio (the core treats it as 0,
 * see percepnet_process()); peak scans skip it. */
#define AUDIO_NOT_AUDIO_ABS 1e3

/* Largest |sample| of the whole file (finite values up to
 * AUDIO_NOT_AUDIO_ABS), read ahead and rewound to the start; before the
 * first audio_in_read. Returns 0, or -1 when the input cannot seek. */
int audio_in_scan_peak(AudioIn *in, double *peak);

/* The usual extension of the container in the file's first bytes ("wav",
 * "flac", "opus", ...), NULL when unknown or unreadable; for naming the
 * output of an input whose name has no extension. */
const char *audio_in_guess_extension(const char *path);

/* Copies a stream (stdin, a named pipe, a device) into an unlinked
 * temporary file once, because libsndfile cannot decode most containers
 * from a pipe (it needs to seek). Returns an fd positioned at 0, or -1 +
 * err. A regular file (stdin redirected from one) is used as is. */
int audio_in_spool(int src, char *err, size_t errlen);

#endif
