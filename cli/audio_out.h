/*
 * audio_out.h - writes the output: a regular file through AtomicFile (never
 * a partial file under the final name) or stdout. Integer formats are
 * quantised here, symmetric with libsndfile's reader (sample = round(x *
 * 2^(bits-1)), clamped), so a 16-bit input read and written unchanged comes
 * back bit-identical; clipped samples are counted and the PCM can be hashed.
 */
#ifndef CLI_AUDIO_OUT_H
#define CLI_AUDIO_OUT_H

#include "atomic_file.h"
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
  int overwrite;          /* 1: replace an existing final file */
  AtomicFile file;        /* regular file output */
  int32_t *ibuf;          /* quantised samples, buf_frames * channels */
  float *fbuf;            /* clamped float samples, buf_frames * channels */
  long buf_frames;
  long long frames;       /* frames written */
  long long clipped;      /* samples outside [-1, 1) that were clamped */
  double sum_sq;          /* sum of squared output samples, for the level */
  float peak;             /* largest |sample| written */
  int want_md5;
  Md5 md5;
} AudioOut;

/* path: a file or "-" (stdout). format: libsndfile major | subtype.
 * Returns 0, or -1 with a reason in err. */
int audio_out_open(AudioOut *o, const char *path, int format, int rate, int channels,
                   int overwrite, int want_md5, char *err, size_t errlen);

/* Copies the string tags of `from` (may be NULL) and sets the software tag
 * (NULL = none). Call before the first write. */
void audio_out_tags(AudioOut *o, SNDFILE *from, const char *software);

/* Writes frames interleaved frames. Returns 0 or -1 + err. */
int audio_out_write(AudioOut *o, const float *x, long frames, char *err, size_t errlen);

/* Closes, moves into place (or copies the spool to stdout) and, when md5
 * was asked for, writes 32 hex digits to md5_hex. Returns 0 or -1 + err. */
int audio_out_finish(AudioOut *o, char md5_hex[33], char *err, size_t errlen);

/* The value a reader gets back for sample x (quantised and clamped as
 * written); used for the residual so that input = output + residual holds
 * exactly on integer formats. */
float audio_out_as_written(const AudioOut *o, float x);

/* Discards everything written (removes the temporary file). */
void audio_out_abort(AudioOut *o);

#endif
