/*
 * dumps.h - per-frame dumps (--dump-gains, --dump-pitch): one row per 10 ms
 * frame and channel, TSV in the C locale with a '#' preamble and a header
 * row, or, for a name ending in ".npy", a float32 NumPy array (rows x
 * columns, C order) with a JSON sidecar (same name, ".json" for ".npy")
 * naming the columns.
 *
 * gains: frame time_s channel vad g_0..g_33 r_0..r_33
 * pitch: frame time_s channel period f0_hz correlation voiced
 *   period in samples at 48 kHz; f0_hz = 48000 / period, nan when unvoiced.
 * time_s is the frame's start on the input timeline (delay compensated).
 */
#ifndef CLI_DUMPS_H
#define CLI_DUMPS_H

#include "percepnet.h"

#include <stdio.h>

enum { DUMP_GAINS = 0, DUMP_PITCH = 1 };

typedef struct {
  int kind;           /* DUMP_* */
  int npy;            /* 1: NumPy output */
  FILE *fp;           /* on a duplicate of the dump's descriptor */
  int columns_fd;     /* .npy: the JSON column file's descriptor (not owned) */
  long long rows;
  int columns;
  char *preamble;     /* '#' lines, kept for the JSON sidecar */
} Dump;

/* fd: the dump's file; columns_fd: its JSON column file for a NumPy dump,
 * -1 for TSV. Both are left open (their owner closes them). preamble: lines
 * without the leading "# ", separated by '\n'. Returns 0 or -1 + err. */
int dump_open(Dump *d, int fd, int columns_fd, int kind, const char *preamble, char *err,
              unsigned long errlen);
int dump_row(Dump *d, long long frame, double time_s, int channel, const PercepnetFrameInfo *fi);
/* Completes the dump (the NumPy header's row count, the column file). */
int dump_finish(Dump *d, char *err, unsigned long errlen);
void dump_abort(Dump *d);

#endif
