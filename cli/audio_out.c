/*
 * audio_out.c - output files, see audio_out.h.
 */
#include "audio_out.h"

#include "formats.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_BUF_FRAMES 4096

/* Containers libsndfile writes to a pipe without seeking back (measured:
 * WAV, AIFF, CAF, W64, RF64 and FLAC cannot). */
static int pipe_writable(int format) {
  int major = format & SF_FORMAT_TYPEMASK;
  return major == SF_FORMAT_AU || major == SF_FORMAT_RAW || major == SF_FORMAT_OGG;
}

static int spool_create(char *err, size_t errlen) {
  const char *dir = getenv("TMPDIR");
  char path[4096];
  int fd;
  snprintf(path, sizeof path, "%s/percepnet-stdout-XXXXXX", dir && *dir ? dir : "/tmp");
  fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a temporary file for stdout: %s", strerror(errno));
    return -1;
  }
  unlink(path);
  return fd;
}

int audio_out_open(AudioOut *o, int fd, int format, int rate, int channels, int want_md5,
                   char *err, size_t errlen) {
  memset(o, 0, sizeof *o);
  o->stdout_spool_fd = -1;
  o->info.format = format;
  o->info.samplerate = rate;
  o->info.channels = channels;
  o->kind = format_sample_kind(format, &o->bits);
  o->buf_frames = OUT_BUF_FRAMES;
  o->want_md5 = want_md5;
  if (want_md5) md5_init(&o->md5);
  o->ibuf = malloc(sizeof *o->ibuf * (size_t)OUT_BUF_FRAMES * (size_t)channels);
  o->fbuf = malloc(sizeof *o->fbuf * (size_t)OUT_BUF_FRAMES * (size_t)channels);
  if (!o->ibuf || !o->fbuf) {
    snprintf(err, errlen, "out of memory");
    audio_out_abort(o);
    return -1;
  }
  if (fd < 0) {
    o->to_stdout = 1;
    if (pipe_writable(format)) {
      o->sf = sf_open_fd(STDOUT_FILENO, SFM_WRITE, &o->info, SF_FALSE);
    } else {
      o->stdout_spool_fd = spool_create(err, errlen);
      if (o->stdout_spool_fd < 0) {
        audio_out_abort(o);
        return -1;
      }
      o->sf = sf_open_fd(o->stdout_spool_fd, SFM_WRITE, &o->info, SF_FALSE);
    }
  } else {
    o->sf = sf_open_fd(fd, SFM_WRITE, &o->info, SF_FALSE);
  }
  if (!o->sf) {
    snprintf(err, errlen, "cannot write this format: %s", sf_strerror(NULL));
    audio_out_abort(o);
    return -1;
  }
  /* the quantiser below already clamps; this guards the codec paths */
  sf_command(o->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
  return 0;
}

void audio_out_tags(AudioOut *o, SNDFILE *from, const char *software) {
  int id;
  for (id = SF_STR_FIRST; id <= SF_STR_LAST; id++) {
    const char *s;
    if (id == SF_STR_SOFTWARE && software) continue;
    s = from ? sf_get_string(from, id) : NULL;
    if (s && *s) sf_set_string(o->sf, id, s);
  }
  if (software) sf_set_string(o->sf, SF_STR_SOFTWARE, software);
}

/* Little-endian bytes of the samples, as flac hashes them: bits/8 bytes per
 * integer sample, 4 bytes per float (also for the double and codec paths,
 * whose input is these floats). */
static void hash_int(Md5 *m, const int32_t *q, size_t n, int bits) {
  unsigned char bytes[4 * 256];
  size_t bps = (size_t)bits / 8, i, k = 0;
  int b;
  for (i = 0; i < n; i++) {
    uint32_t u = (uint32_t)q[i];
    for (b = 0; b < (int)bps; b++) bytes[k++] = (unsigned char)(u >> (8 * b));
    if (k + bps > sizeof bytes) {
      md5_update(m, bytes, k);
      k = 0;
    }
  }
  md5_update(m, bytes, k);
}

static void hash_float(Md5 *m, const float *x, size_t n) {
  unsigned char bytes[4 * 256];
  size_t i, k = 0;
  for (i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &x[i], 4);
    bytes[k++] = (unsigned char)u;
    bytes[k++] = (unsigned char)(u >> 8);
    bytes[k++] = (unsigned char)(u >> 16);
    bytes[k++] = (unsigned char)(u >> 24);
    if (k == sizeof bytes) {
      md5_update(m, bytes, k);
      k = 0;
    }
  }
  md5_update(m, bytes, k);
}

static int write_chunk(AudioOut *o, const float *x, long frames, char *err, size_t errlen) {
  size_t n = (size_t)frames * (size_t)o->info.channels, i;
  sf_count_t done;
  assert(frames <= o->buf_frames);
  if (o->kind == SAMPLES_INT) {
    /* full scale 2^(bits-1); 32-bit needs double to hold the product */
    const double scale = ldexp(1.0, o->bits - 1);
    const double lo = -scale, hi = scale - 1.0;
    const int shift = 32 - o->bits;
    for (i = 0; i < n; i++) {
      double v = nearbyint((double)x[i] * scale);
      float a = fabsf(x[i]);
      if (v > hi) { v = hi; o->clipped++; }
      else if (v < lo) { v = lo; o->clipped++; }
      o->ibuf[i] = (int32_t)v;
      o->sum_sq += (double)x[i] * (double)x[i];
      if (a > o->peak) o->peak = a;
    }
    if (o->want_md5) hash_int(&o->md5, o->ibuf, n, o->bits);
    /* libsndfile takes ints left-justified in 32 bits */
    for (i = 0; i < n; i++) o->ibuf[i] = (int32_t)((uint32_t)o->ibuf[i] << shift);
    done = sf_writef_int(o->sf, o->ibuf, frames);
  } else {
    /* float files hold any level: only a codec's input is clamped */
    const int clamp = o->kind == SAMPLES_CODEC;
    for (i = 0; i < n; i++) {
      float v = x[i];
      if (clamp && v > 1.0f) { v = 1.0f; o->clipped++; }
      else if (clamp && v < -1.0f) { v = -1.0f; o->clipped++; }
      o->fbuf[i] = v;
      o->sum_sq += (double)v * (double)v;
      if (fabsf(v) > o->peak) o->peak = fabsf(v);
    }
    if (o->want_md5) hash_float(&o->md5, o->fbuf, n);
    done = sf_writef_float(o->sf, o->fbuf, frames);
  }
  if (done != frames) {
    snprintf(err, errlen, "write error: %s", sf_strerror(o->sf));
    return -1;
  }
  o->frames += frames;
  return 0;
}

int audio_out_write(AudioOut *o, const float *x, long frames, char *err, size_t errlen) {
  while (frames > 0) {
    long k = frames < o->buf_frames ? frames : o->buf_frames;
    if (write_chunk(o, x, k, err, errlen)) return -1;
    x += (size_t)k * (size_t)o->info.channels;
    frames -= k;
  }
  return 0;
}

static int copy_to_stdout(int fd, char *err, size_t errlen) {
  char buf[1 << 16];
  if (lseek(fd, 0, SEEK_SET) < 0) goto fail;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf), done = 0;
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      goto fail;
    }
    while (done < n) {
      ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        goto fail;
      }
      done += w;
    }
  }
fail:
  snprintf(err, errlen, "cannot write stdout: %s", strerror(errno));
  return -1;
}

int audio_out_finish(AudioOut *o, char md5_hex[33], char *err, size_t errlen) {
  int rc = 0;
  if (o->want_md5 && md5_hex) {
    unsigned char digest[16];
    md5_final(&o->md5, digest, md5_hex);
  }
  /* no samples: libsndfile's FLAC and Ogg writers start their stream at the
   * first write, so the header is asked for explicitly */
  if (o->sf && o->frames == 0) sf_command(o->sf, SFC_UPDATE_HEADER_NOW, NULL, 0);
  if (o->sf && sf_close(o->sf) != 0) {
    snprintf(err, errlen, "cannot finish writing: %s", sf_strerror(NULL));
    o->sf = NULL;
    audio_out_abort(o);
    return -1;
  }
  o->sf = NULL;
  if (o->to_stdout && o->stdout_spool_fd >= 0) rc = copy_to_stdout(o->stdout_spool_fd, err, errlen);
  audio_out_abort(o);
  return rc;
}

float audio_out_as_written(const AudioOut *o, float x) {
  if (o->kind == SAMPLES_INT) {
    const double scale = ldexp(1.0, o->bits - 1);
    double v = nearbyint((double)x * scale);
    if (v > scale - 1.0) v = scale - 1.0;
    if (v < -scale) v = -scale;
    return (float)(v / scale);
  }
  if (o->kind != SAMPLES_CODEC) return x;
  return x > 1.0f ? 1.0f : x < -1.0f ? -1.0f : x;
}

void audio_out_abort(AudioOut *o) {
  if (o->sf) sf_close(o->sf);
  o->sf = NULL;
  if (o->stdout_spool_fd >= 0) close(o->stdout_spool_fd);
  o->stdout_spool_fd = -1;
  free(o->ibuf);
  free(o->fbuf);
  o->ibuf = NULL;
  o->fbuf = NULL;
}
