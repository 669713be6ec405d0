/*
 * batch.h - runs the file jobs on N worker threads (-j). Each file is
 * processed by one thread from start to end, so its output does not depend
 * on N; results are stored per job, in input order. With a manifest, a row
 * is appended as each file ends (files never begun, after an interruption,
 * get none).
 */
#ifndef CLI_BATCH_H
#define CLI_BATCH_H

#include "process_file.h"

/* Returns 0, or -1 when a manifest row could not be written (said on stderr). */
int batch_run(const RunContext *run, const FileJob *jobs, FileResult *results, int n_jobs,
              int threads);

#endif
