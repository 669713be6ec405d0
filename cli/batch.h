/*
 * batch.h - runs the file jobs on N worker threads (-j). Each file is
 * processed by one thread from start to end, so its output does not depend
 * on N; results are stored per job, in input order.
 */
#ifndef CLI_BATCH_H
#define CLI_BATCH_H

#include "process_file.h"

void batch_run(const RunContext *run, const FileJob *jobs, FileResult *results, int n_jobs,
               int threads);

#endif
