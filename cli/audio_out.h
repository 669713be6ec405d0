/*
 * audio_out.h - writes audio (the output or the residual) to a descriptor
 * that output_set.h created (a temporary file, or a device written in
 * place) or to stdout. Integer formats are
 * quantised here, symmetric with libsndfile's reader (sample = round(x *
 * 2^(bits-1)), clamped), so a 16-bit input read and written unchanged comes
 * back bit-identical; float and double files keep any level (nothing is
 * clipped), codecs get [-1, 1]; clipped samples are counted and the PCM can
 * be hashed.
 */
#ifndef CLI_AUDIO_OUT_H
#define CLI_AUDIO_OUT_H

#include "md5.h"

#include <sndfile.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  SNDFILE *sf;
  SF_INFO info;
  int kind;               /* SAMPLES_* from formats.h */
  int bits;               /* integer bits for SAMPLES_INT */
  int to_stdout;          /* 1: the audio goes to stdout */
  int stdout_spool_fd;    /* stdout in a container that must seek: temp file, copied at the end */
  int32_t *ibuf;          /* quantised samples, buf_frames * channels */
  float *fbuf;            /* clamped float samples, buf_frames * channels */
  long buf_frames;
  long long frames;       /* frames written */
  long long clipped;      /* samples clamped to the format's range (integer and codec output) */
  double sum_sq;          /* sum of squared output samples, for the level */
  float peak;             /* largest |sample| written */
  int want_md5;
  Md5 md5;
} AudioOut;

/* fd: where to write (left open: its owner closes it), -1 = stdout.
 * format: libsndfile major | subtype. Returns 0, or -1 with a reason in err. */
int audio_out_open(AudioOut *o, int fd, int format, int rate, int channels, int want_md5,
                   char *err, size_t errlen);

/* Copies the string tags of `from` (may be NULL) and sets the software tag
 * (NULL = none). Call before the first write. */
void audio_out_tags(AudioOut *o, SNDFILE *from, const char *software);

/* Writes frames interleaved frames. Returns 0 or -1 + err. */
int audio_out_write(AudioOut *o, const float *x, long frames, char *err, size_t errlen);

/* Completes the file (headers, codec flush; for stdout, copies the spool)
 * and, when md5 was asked for, writes 32 hex digits to md5_hex. Returns 0
 * or -1 + err. */
int audio_out_finish(AudioOut *o, char md5_hex[33], char *err, size_t errlen);

/* The value a reader gets back for sample x (quantised and clamped as
 * written); used for the residual so that input = output + residual holds
 * exactly on integer formats. */
float audio_out_as_written(const AudioOut *o, float x);

/* Releases everything (the descriptor stays with its owner). */
void audio_out_abort(AudioOut *o);

#endif
