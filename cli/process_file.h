/*
 * process_file.h - denoises one file: input -> 48 kHz -> core -> output rate
 * -> output, with the optional residual, dumps, VAD labels and report.
 */
#ifndef CLI_PROCESS_FILE_H
#define CLI_PROCESS_FILE_H

#include "options.h"
#include "percepnet.h"

#include <sys/types.h>

enum { FILE_OK = 0, FILE_SKIPPED = 1, FILE_FAILED = 2 };

/* What every job shares (read-only while jobs run). */
typedef struct {
  const CliOptions *opt;
  const PercepnetModel *model;
  int cpu;                 /* kernel level for percepnet_set_cpu, -1 = the default */
  dev_t *input_dev;        /* identities of the existing inputs, to never write onto one */
  ino_t *input_ino;
  int n_input_ids;
  struct Manifest *manifest; /* --manifest, NULL = none; rows appended by batch_run */
} RunContext;

typedef struct {
  const char *input;       /* the noisy (or only) input */
  const char *clean;       /* oracle: the clean reference, else NULL */
} FileJob;

typedef struct {
  int status;              /* FILE_* */
  char output[4096];       /* output path ("-" = stdout) */
  char md5[33];            /* with --md5 */
  char *report;            /* one JSON object (with --report), malloc'd */
} FileResult;

void process_file(const RunContext *run, const FileJob *job, FileResult *res);

/* 1 when path names an existing file that is one of run's inputs (same
 * device and inode), 0 otherwise and for "-". */
int run_is_an_input(const RunContext *run, const char *path);

/* "{}" in pattern replaced by the input's base name without extension. */
void sidecar_path(const char *pattern, const char *input, char *out, unsigned long len);

#endif
