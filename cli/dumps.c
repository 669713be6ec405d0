/*
 * dumps.c - see dumps.h. Numbers are printed with %.9g for floats (exact
 * float32 round trip) and the C locale that a C program starts in: this
 * program never calls setlocale(), so the decimal point is always '.'.
 */
#include "dumps.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NumPy .npy version 1.0: 6-byte magic, version 1.0, 2-byte little-endian
 * header length, then a Python dict literal padded with spaces and ended by
 * '\n' so that the data starts at a multiple of 64 bytes. The header is
 * written first with the row count unknown and rewritten, same length, at
 * the end. */
#define NPY_HEADER_TOTAL 128

static int columns_of(int kind) { return kind == DUMP_GAINS ? 4 + 2 * PERCEPNET_NB_BANDS : 7; }

static void column_name(int kind, int i, char *buf, size_t len) {
  static const char *head[] = {"frame", "time_s", "channel", "vad"};
  if (kind == DUMP_PITCH) {
    static const char *pitch[] = {"frame", "time_s", "channel", "period", "f0_hz",
                                  "correlation", "voiced"};
    snprintf(buf, len, "%s", pitch[i]);
  }
  else if (i < 4) snprintf(buf, len, "%s", head[i]);
  else if (i < 4 + PERCEPNET_NB_BANDS) snprintf(buf, len, "g_%d", i - 4);
  else snprintf(buf, len, "r_%d", i - 4 - PERCEPNET_NB_BANDS);
}

static int npy_header(FILE *fp, long long rows, int cols) {
  char h[NPY_HEADER_TOTAL];
  int n;
  memset(h, ' ', sizeof h);
  memcpy(h, "\x93NUMPY\x01\x00", 8);
  h[8] = (char)(NPY_HEADER_TOTAL - 10);
  h[9] = 0;
  n = snprintf(h + 10, sizeof h - 10, "{'descr': '<f4', 'fortran_order': False, 'shape': (%lld, %d), }",
               rows, cols);
  if (n < 0 || n >= NPY_HEADER_TOTAL - 11) return -1;
  h[10 + n] = ' ';
  h[NPY_HEADER_TOTAL - 1] = '\n';
  if (fseek(fp, 0, SEEK_SET) != 0) return -1;
  return fwrite(h, 1, sizeof h, fp) == sizeof h ? 0 : -1;
}

int dump_open(Dump *d, int fd, int columns_fd, int kind, const char *preamble, char *err,
              unsigned long errlen) {
  int i, own;
  memset(d, 0, sizeof *d);
  d->kind = kind;
  d->columns = columns_of(kind);
  d->npy = columns_fd >= 0;
  d->columns_fd = columns_fd;
  d->preamble = strdup(preamble);
  own = dup(fd);
  d->fp = own >= 0 ? fdopen(own, d->npy ? "wb" : "w") : NULL;
  if (!d->preamble || !d->fp) {
    if (own >= 0 && !d->fp) close(own);
    snprintf(err, errlen, "cannot open the dump for writing");
    dump_abort(d);
    return -1;
  }
  if (d->npy) {
    if (npy_header(d->fp, 0, d->columns)) {
      snprintf(err, errlen, "cannot write the dump");
      dump_abort(d);
      return -1;
    }
    return 0;
  }
  {
    const char *p = preamble;
    while (*p) {
      const char *nl = strchr(p, '\n');
      size_t len = nl ? (size_t)(nl - p) : strlen(p);
      fprintf(d->fp, "# %.*s\n", (int)len, p);
      p += len + (nl ? 1 : 0);
    }
  }
  for (i = 0; i < d->columns; i++) {
    char name[16];
    column_name(kind, i, name, sizeof name);
    fprintf(d->fp, "%s%s", i ? "\t" : "", name);
  }
  fputc('\n', d->fp);
  return ferror(d->fp) ? -1 : 0;
}

int dump_row(Dump *d, long long frame, double time_s, int channel, const PercepnetFrameInfo *fi) {
  float v[4 + 2 * PERCEPNET_NB_BANDS];
  int n = 0, i;
  float f0 = fi->voiced && fi->pitch_period > 0.0f ? (float)PERCEPNET_SAMPLE_RATE / fi->pitch_period
                                                   : NAN;
  v[n++] = (float)frame;
  v[n++] = (float)time_s;
  v[n++] = (float)channel;
  if (d->kind == DUMP_GAINS) {
    v[n++] = fi->vad;
    for (i = 0; i < PERCEPNET_NB_BANDS; i++) v[n++] = fi->gain[i];
    for (i = 0; i < PERCEPNET_NB_BANDS; i++) v[n++] = fi->strength[i];
  } else {
    v[n++] = fi->pitch_period;
    v[n++] = f0;
    v[n++] = fi->pitch_corr;
    v[n++] = (float)fi->voiced;
  }
  d->rows++;
  if (d->npy) {
    unsigned char b[4 * (4 + 2 * PERCEPNET_NB_BANDS)] = {0};
    for (i = 0; i < n; i++) {
      uint32_t u;
      memcpy(&u, &v[i], 4);
      b[4 * i] = (unsigned char)u;
      b[4 * i + 1] = (unsigned char)(u >> 8);
      b[4 * i + 2] = (unsigned char)(u >> 16);
      b[4 * i + 3] = (unsigned char)(u >> 24);
    }
    return fwrite(b, 4, (size_t)n, d->fp) == (size_t)n ? 0 : -1;
  }
  fprintf(d->fp, "%lld\t%.6f\t%d", frame, time_s, channel);
  for (i = 3; i < n; i++) {
    if (isnan(v[i])) fputs("\tnan", d->fp);
    else fprintf(d->fp, "\t%.9g", (double)v[i]);
  }
  fputc('\n', d->fp);
  return 0;
}

static int write_sidecar(Dump *d) {
  int own = dup(d->columns_fd);
  FILE *fp = own >= 0 ? fdopen(own, "w") : NULL;
  const char *p;
  int i;
  if (!fp) {
    if (own >= 0) close(own);
    return -1;
  }
  fprintf(fp, "{\"dtype\": \"float32\", \"shape\": [%lld, %d], \"columns\": [", d->rows, d->columns);
  for (i = 0; i < d->columns; i++) {
    char name[16];
    column_name(d->kind, i, name, sizeof name);
    fprintf(fp, "%s\"%s\"", i ? ", " : "", name);
  }
  fputs("], \"preamble\": [", fp);
  for (p = d->preamble, i = 0; *p; i++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p), k;
    fputs(i ? ", \"" : "\"", fp);
    for (k = 0; k < len; k++) {
      unsigned char c = (unsigned char)p[k];
      if (c == '"' || c == '\\') fprintf(fp, "\\%c", c);
      else if (c < 0x20) fprintf(fp, "\\u%04x", c);
      else fputc(c, fp);
    }
    fputc('"', fp);
    p += len + (nl ? 1 : 0);
  }
  fputs("]}\n", fp);
  return fclose(fp) ? -1 : 0;
}

int dump_finish(Dump *d, char *err, unsigned long errlen) {
  int bad = 0;
  if (d->npy) bad = npy_header(d->fp, d->rows, d->columns);
  if (fflush(d->fp) != 0 || ferror(d->fp)) bad = 1;
  if (fclose(d->fp) != 0) bad = 1;
  d->fp = NULL;
  if (!bad && d->npy && write_sidecar(d)) bad = 1;
  if (bad) {
    snprintf(err, errlen, "cannot write the dump");
    dump_abort(d);
    return -1;
  }
  free(d->preamble);
  d->preamble = NULL;
  return 0;
}

void dump_abort(Dump *d) {
  if (d->fp) fclose(d->fp);
  d->fp = NULL;
  free(d->preamble);
  d->preamble = NULL;
}
