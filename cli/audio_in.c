/*
 * audio_in.c - input files: checks with a clear reason for each way a file
 * can be unusable, then streams float frames.
 */
#include "audio_in.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int audio_in_spool(int src, char *err, size_t errlen) {
  struct stat sb;
  char path[4096];
  const char *dir = getenv("TMPDIR");
  char buf[1 << 16];
  int fd;
  if (fstat(src, &sb) == 0 && S_ISREG(sb.st_mode)) {
    fd = dup(src);
    if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
      snprintf(err, errlen, "cannot read: %s", strerror(errno));
      if (fd >= 0) close(fd);
      return -1;
    }
    return fd;
  }
  snprintf(path, sizeof path, "%s/percepnet-stdin-XXXXXX", dir && *dir ? dir : "/tmp");
  fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a temporary file for the stream in %s: %s",
             dir && *dir ? dir : "/tmp", strerror(errno));
    return -1;
  }
  unlink(path);
  for (;;) {
    ssize_t n = read(src, buf, sizeof buf), done = 0;
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) {
        snprintf(err, errlen, "interrupted while reading");
      } else {
        snprintf(err, errlen, "cannot read: %s", strerror(errno));
      }
      close(fd);
      return -1;
    }
    while (done < n) {
      ssize_t w = write(fd, buf + done, (size_t)(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        snprintf(err, errlen, "cannot copy the stream to %s: %s", path, strerror(errno));
        close(fd);
        return -1;
      }
      done += w;
    }
  }
  if (lseek(fd, 0, SEEK_SET) < 0) {
    snprintf(err, errlen, "cannot rewind the stdin spool: %s", strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* Magic numbers at offset 0 of the containers libsndfile reads. A file
 * without one is refused before libsndfile sees it: libsndfile hands
 * unrecognised data to its MPEG decoder last, whose scanner prints notes on
 * stderr for arbitrary bytes. MPEG audio is recognised by an ID3 tag or a
 * frame sync (11 set bits). */
static int known_header(const unsigned char *b, size_t n) {
  static const char *magic[] = {
      "RIFF", "RIFX", "RF64", "BW64", "FORM", ".snd", "dns.", "fLaC", "OggS", "caff",
      "riff", "ID3",  "NIST", "2BIT", "Crea", "MATL", "PVF1", "Exte", "wvpk", "fap ",
      " paf"};
  size_t i;
  if (n >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0) return 1;
  for (i = 0; i < sizeof magic / sizeof magic[0]; i++) {
    size_t len = strlen(magic[i]);
    if (n >= len && !memcmp(b, magic[i], len)) return 1;
  }
  return 0;
}

const char *audio_in_guess_extension(const char *path) {
  static const struct { const char *magic; const char *ext; } table[] = {
      {"RIFF", "wav"}, {"RIFX", "wav"}, {"RF64", "rf64"}, {"BW64", "rf64"}, {"FORM", "aiff"},
      {".snd", "au"},  {"dns.", "au"},  {"fLaC", "flac"}, {"caff", "caf"},  {"riff", "w64"},
      {"ID3", "mp3"}};
  unsigned char b[64];
  size_t n = 0, i;
  FILE *fp = fopen(path, "rb");
  if (fp) {
    n = fread(b, 1, sizeof b, fp);
    fclose(fp);
  }
  if (n >= 4 && !memcmp(b, "OggS", 4))
    return n >= 36 && !memcmp(b + 28, "OpusHead", 8) ? "opus" : "ogg";
  if (n >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0) return "mp3";
  for (i = 0; i < sizeof table / sizeof table[0]; i++) {
    size_t len = strlen(table[i].magic);
    if (n >= len && !memcmp(b, table[i].magic, len)) return table[i].ext;
  }
  return NULL;
}

static int sniff_fd(int fd) {
  unsigned char b[16];
  ssize_t n = pread(fd, b, sizeof b, 0);
  return n > 0 && known_header(b, (size_t)n);
}

static int raw_format(const RawFormat *raw, int *format, char *err, size_t errlen) {
  int sub = 0;
  if (raw->encoding == ENCODING_FLOAT) {
    if (raw->bits == 32) sub = SF_FORMAT_FLOAT;
    else if (raw->bits == 64) sub = SF_FORMAT_DOUBLE;
  } else if (raw->encoding == ENCODING_UNSIGNED) {
    if (raw->bits == 8) sub = SF_FORMAT_PCM_U8;
  } else {
    switch (raw->bits) {
      case 8: sub = SF_FORMAT_PCM_S8; break;
      case 16: sub = SF_FORMAT_PCM_16; break;
      case 24: sub = SF_FORMAT_PCM_24; break;
      case 32: sub = SF_FORMAT_PCM_32; break;
      default: break;
    }
  }
  if (!sub) {
    snprintf(err, errlen, "raw input: %d-bit %s samples are not supported", raw->bits,
             raw->encoding == ENCODING_FLOAT ? "float" :
             raw->encoding == ENCODING_UNSIGNED ? "unsigned" : "signed");
    return -1;
  }
  *format = SF_FORMAT_RAW | sub | (raw->big_endian ? SF_ENDIAN_BIG : SF_ENDIAN_LITTLE);
  return 0;
}

int audio_in_open(AudioIn *in, const char *path, const RawFormat *raw, char *err, size_t errlen) {
  struct stat sb;
  int stream = !strcmp(path, "-"); /* stdin, a named pipe or a device: read once, in order */
  int src = STDIN_FILENO;
  memset(in, 0, sizeof *in);
  in->name = path;
  if (!stream) {
    if (stat(path, &sb) != 0) {
      snprintf(err, errlen, "cannot open: %s", strerror(errno));
      return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
      snprintf(err, errlen, "is a directory, not an audio file");
      return -1;
    }
    if (S_ISREG(sb.st_mode) && sb.st_size == 0) {
      snprintf(err, errlen, "empty file (0 bytes)");
      return -1;
    }
    if (access(path, R_OK) != 0) {
      snprintf(err, errlen, "cannot open: %s", strerror(errno));
      return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
      stream = 1;
      src = open(path, O_RDONLY | O_CLOEXEC);
      if (src < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
      }
    }
  }
  if (raw->enabled) {
    if (raw_format(raw, &in->info.format, err, errlen)) goto fail;
    in->info.samplerate = raw->rate;
    in->info.channels = raw->channels;
  }
  if (stream && raw->enabled && fstat(src, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    /* raw PCM needs no seeking: a pipe is read as it comes, so a long or
     * endless stream (hours) is neither stored in a spool nor waited for */
    int fd = src == STDIN_FILENO ? dup(src) : src;
    src = STDIN_FILENO;
    in->sf = fd >= 0 ? sf_open_fd(fd, SFM_READ, &in->info, SF_TRUE) : NULL;
    if (!in->sf && fd >= 0) close(fd);
  } else if (stream) {
    int fd = audio_in_spool(src, err, errlen);
    if (src != STDIN_FILENO) close(src);
    src = STDIN_FILENO;
    if (fd < 0) return -1;
    if (lseek(fd, 0, SEEK_END) == 0) {
      close(fd);
      snprintf(err, errlen, "empty input (0 bytes%s)", !strcmp(path, "-") ? " on stdin" : "");
      return -1;
    }
    lseek(fd, 0, SEEK_SET);
    if (!raw->enabled && !sniff_fd(fd)) {
      close(fd);
      snprintf(err, errlen, "not an audio file: no header percepnet recognises (raw PCM needs "
               "--raw-rate, --raw-channels and --raw-encoding)");
      return -1;
    }
    in->sf = sf_open_fd(fd, SFM_READ, &in->info, SF_TRUE);
    if (!in->sf) close(fd);
  } else {
    if (!raw->enabled) {
      FILE *fp = fopen(path, "rb");
      int known = 0;
      if (fp) {
        known = sniff_fd(fileno(fp));
        fclose(fp);
      }
      if (!known) {
        snprintf(err, errlen, "not an audio file: no header percepnet recognises (raw PCM needs "
                 "--raw-rate, --raw-channels and --raw-encoding)");
        return -1;
      }
    }
    in->sf = sf_open(path, SFM_READ, &in->info);
  }
  if (!in->sf) {
    const char *why = sf_strerror(NULL);
    if (raw->enabled)
      snprintf(err, errlen, "cannot read as raw PCM: %s", why);
    else
      snprintf(err, errlen, "not an audio file libsndfile can read (%s); raw PCM needs "
               "--raw-rate, --raw-channels and --raw-encoding", why);
    return -1;
  }
  if (raw->enabled) {
    /* a raw file's size is known: bytes that make no whole frame are
     * dropped by the reader, and said so by the caller */
    struct stat rs;
    long long frame_bytes = (long long)raw->channels * (raw->bits / 8);
    if (((!strcmp(path, "-") && fstat(STDIN_FILENO, &rs) == 0) || stat(path, &rs) == 0) &&
        S_ISREG(rs.st_mode) && frame_bytes > 0)
      in->trailing_bytes = (long long)rs.st_size % frame_bytes;
  }
  if (in->info.channels < 1 || in->info.channels > AUDIO_MAX_CHANNELS) {
    snprintf(err, errlen, "%d channels: percepnet handles 1 to %d", in->info.channels,
             AUDIO_MAX_CHANNELS);
    audio_in_close(in);
    return -1;
  }
  if (in->info.samplerate < AUDIO_MIN_RATE || in->info.samplerate > AUDIO_MAX_RATE) {
    snprintf(err, errlen, "unsupported sample rate %d Hz (percepnet handles %d to %d Hz)",
             in->info.samplerate, AUDIO_MIN_RATE, AUDIO_MAX_RATE);
    audio_in_close(in);
    return -1;
  }
  /* integer files: samples / 2^(bits-1), the exact inverse of audio_out's
   * quantiser (libsndfile's default; stated so it never changes silently) */
  sf_command(in->sf, SFC_SET_NORM_FLOAT, NULL, SF_TRUE);
  in->is_float = (in->info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT ||
                 (in->info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_DOUBLE;
  return 0;
fail:
  if (src != STDIN_FILENO) close(src);
  return -1;
}

/* Sizes at or above this in a "(should be ...)" log line are placeholders
 * of a writer that could not seek back (sox on a pipe writes 0x7F000000 +). */
#define PLACEHOLDER_SIZE 0x7F000000LL

/* Reads libsndfile's parser log for the signs of a file cut short. */
static int log_says_truncated(SNDFILE *sf) {
  char log[16384];
  const char *p;
  log[0] = '\0';
  sf_command(sf, SFC_GET_LOG_INFO, log, sizeof log);
  if (strstr(log, "File ended unexpectedly")) return 1;
  for (p = strstr(log, "(should be "); p; p = strstr(p + 1, "(should be ")) {
    const char *colon = p;
    long long declared, actual;
    while (colon > log && colon[-1] != ':' && colon[-1] != '\n') colon--;
    if (colon == log || colon[-1] != ':') continue;
    declared = strtoll(colon, NULL, 10);
    actual = strtoll(p + strlen("(should be "), NULL, 10);
    if (declared > actual && declared < PLACEHOLDER_SIZE) return 1;
  }
  return 0;
}

static void check_end(AudioIn *in) {
  int major = in->info.format & SF_FORMAT_TYPEMASK;
  in->at_end = 1;
  if (major == SF_FORMAT_RAW) return;
  if (log_says_truncated(in->sf)) in->truncated = 1;
  if (major == SF_FORMAT_MPEG && in->info.frames > 0 && in->frames_read < in->info.frames)
    in->truncated = 1;
}

long audio_in_read(AudioIn *in, float *buf, long frames, char *err, size_t errlen) {
  sf_count_t got = sf_readf_float(in->sf, buf, frames);
  size_t i, n;
  if (got < 0 || (got == 0 && sf_error(in->sf) != SF_ERR_NO_ERROR)) {
    snprintf(err, errlen, "read error: %s", sf_strerror(in->sf));
    return -1;
  }
  in->frames_read += got;
  if (got < frames && !in->at_end) check_end(in);
  if (!in->is_float) return (long)got;
  n = (size_t)got * (size_t)in->info.channels;
  for (i = 0; i < n; i++) {
    if (!isfinite(buf[i])) {
      buf[i] = 0.0f;
      in->nonfinite++;
    }
  }
  return (long)got;
}

int audio_in_scan_peak(AudioIn *in, double *peak) {
  float buf[4096];
  const long frames = (long)(sizeof buf / sizeof buf[0]) / in->info.channels;
  sf_count_t got;
  double m = 0.0;
  *peak = 0.0;
  if (!in->info.seekable) return -1;
  while ((got = sf_readf_float(in->sf, buf, frames)) > 0) {
    size_t i, n = (size_t)got * (size_t)in->info.channels;
    for (i = 0; i < n; i++) {
      double a = fabs((double)buf[i]);
      if (a <= AUDIO_NOT_AUDIO_ABS && a > m) m = a;
    }
  }
  if (got < 0 || sf_seek(in->sf, 0, SEEK_SET) != 0) return -1;
  *peak = m;
  return 0;
}

void audio_in_close(AudioIn *in) {
  if (in->sf) sf_close(in->sf);
  in->sf = NULL;
}
