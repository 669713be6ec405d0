/*
 * output_plan.h - every file a run writes, named and checked before any
 * input is read: the audio output and each side file (residual, dumps and
 * their column files, VAD labels) of every input, and the report.
 *
 * Rules, the same for every file:
 *   - an existing file is replaced only with -f; with -n an input whose
 *     audio output exists is skipped, and so is an input that is another
 *     input's output in the same run (a glob that picks up earlier outputs);
 *   - an input is never written, not even with -f;
 *   - no two outputs of a run share a path (two inputs with one name into
 *     one -O DIR, --dump-gains and --dump-pitch naming one file, ...);
 *   - devices and FIFOs (-o /dev/null) are written in place and are exempt
 *     from the first and the last rule.
 * Problems of one input refuse that input (the batch goes on); a collision
 * or a report that cannot be written refuses the whole run.
 */
#ifndef CLI_OUTPUT_PLAN_H
#define CLI_OUTPUT_PLAN_H

#include "fault.h"
#include "options.h"

/* The files one input's processing writes. */
enum {
  OUT_AUDIO = 0,      /* the denoised audio; "-" = stdout */
  OUT_RESIDUAL,       /* --residual */
  OUT_GAINS,          /* --dump-gains */
  OUT_GAINS_COLUMNS,  /* its .json column file when the dump is .npy */
  OUT_PITCH,          /* --dump-pitch */
  OUT_PITCH_COLUMNS,
  OUT_LABELS,         /* --vad-labels */
  OUT_REPORT,         /* --report FILE: one per run, in RunPlan.run_files */
  OUT_KINDS
};

enum { PLAN_WRITE = 0, PLAN_SKIP = 1, PLAN_REFUSED = 2 };

typedef struct {
  char *path[OUT_KINDS]; /* final names (malloc'd), NULL = not written */
  int status;            /* PLAN_* */
  Fault why;             /* PLAN_SKIP: file and note; PLAN_REFUSED: file and error */
} OutputPlan;

typedef struct {
  OutputPlan *jobs;      /* one per job, in job order */
  int n_jobs;
  OutputPlan run_files;  /* what the run as a whole writes: path[OUT_REPORT] (NULL
                            when none or "-", stderr) */
  int report_append;     /* -n and the report exists: keep its lines, add this run's */
  int n_inputs;          /* identities of every existing input (noisy and clean) */
  void *input_ids;
} RunPlan;

/* What "one output" is called in messages ("output", "residual", ...). */
const char *plan_role(int kind);

/* Plans job i for inputs[i] (clean references of --oracle are in
 * opt->inputs, which also lists every input). Returns 0, or -1 after one
 * line on stderr per problem that refuses the run. */
int plan_run(const CliOptions *opt, const char *const *inputs, int n_jobs, RunPlan *plan);

void plan_free(RunPlan *plan);
/* 1 when path is an existing input of the planned run, else 0. */
int plan_is_an_input(const RunPlan *plan, const char *path);
/* 1 when path names a file the plan writes (any job's or the report), else 0. */
int plan_is_an_output(const RunPlan *plan, const char *path);

/* "{}" in pattern replaced by the input's base name without extension
 * ("stdin" for "-"). */
void sidecar_path(const char *pattern, const char *input, char *out, unsigned long len);

#endif
