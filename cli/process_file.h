/*
 * process_file.h - denoises one file: input -> 48 kHz -> core -> output rate
 * -> output, with the optional residual, dumps, VAD labels and report, into
 * the files output_plan.h planned for it.
 */
#ifndef CLI_PROCESS_FILE_H
#define CLI_PROCESS_FILE_H

#include "options.h"
#include "output_plan.h"
#include "percepnet.h"

enum { FILE_OK = 0, FILE_SKIPPED = 1, FILE_FAILED = 2 };

/* What every job shares (read-only while jobs run). */
typedef struct {
  const CliOptions *opt;
  const PercepnetModel *model;
  int cpu;                 /* kernel level for percepnet_set_cpu, -1 = the default */
  struct Manifest *manifest; /* --manifest, NULL = none; rows appended by batch_run */
} RunContext;

typedef struct {
  const char *input;       /* the noisy (or only) input */
  const char *clean;       /* oracle: the clean reference, else NULL */
  const OutputPlan *plan;  /* the files it writes, checked */
} FileJob;

typedef struct {
  int status;              /* FILE_* */
  char output[4096];       /* output path ("-" = stdout) */
  char md5[33];            /* with --md5 */
  char *report;            /* one JSON object (with --report), malloc'd */
} FileResult;

void process_file(const RunContext *run, const FileJob *job, FileResult *res);

#endif
