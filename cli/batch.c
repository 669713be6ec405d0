/*
 * batch.c - see batch.h. Jobs are taken in input order from a shared index.
 */
#include "batch.h"

#include "interrupt.h"
#include "manifest.h"
#include "messages.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
  const RunContext *run;
  const FileJob *jobs;
  FileResult *results;
  int n_jobs;
  int next;           /* next job to take, under lock */
  int manifest_failed;/* a manifest row was lost, under lock */
  pthread_mutex_t lock;
} Batch;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The manifest row of a finished job. */
static void record(Batch *b, int i, double seconds) {
  static const char *const status[] = {"done", "skipped", "failed"};
  const FileResult *r = &b->results[i];
  char err[256];
  if (manifest_append(b->run->manifest, b->jobs[i].input, r->output, status[r->status], seconds,
                      percepnet_model_id(b->run->model), r->status == FILE_OK ? r->md5 : NULL,
                      err, sizeof err)) {
    msg_error(b->run->manifest->path, "%s", err);
    pthread_mutex_lock(&b->lock);
    b->manifest_failed = 1;
    pthread_mutex_unlock(&b->lock);
  }
}

static void *worker(void *arg) {
  Batch *b = arg;
  for (;;) {
    int i;
    pthread_mutex_lock(&b->lock);
    i = b->next++;
    pthread_mutex_unlock(&b->lock);
    if (i >= b->n_jobs) return NULL;
    if (interrupt_signal()) {
      b->results[i].status = FILE_FAILED;
      continue;
    }
    {
      double t0 = now_s();
      process_file(b->run, &b->jobs[i], &b->results[i]);
      if (b->run->manifest) record(b, i, now_s() - t0);
    }
  }
}

int batch_run(const RunContext *run, const FileJob *jobs, FileResult *results, int n_jobs,
              int threads) {
  Batch b;
  pthread_t *tid;
  int t, started = 0;
  b.run = run;
  b.jobs = jobs;
  b.results = results;
  b.n_jobs = n_jobs;
  b.next = 0;
  b.manifest_failed = 0;
  pthread_mutex_init(&b.lock, NULL);
  if (threads > n_jobs) threads = n_jobs;
  tid = threads > 1 ? calloc((size_t)threads, sizeof *tid) : NULL;
  if (tid) {
    for (t = 0; t < threads; t++) {
      if (pthread_create(&tid[t], NULL, worker, &b) != 0) break;
      started++;
    }
  }
  if (!started) worker(&b); /* one thread, or threads could not be made */
  for (t = 0; t < started; t++) pthread_join(tid[t], NULL);
  free(tid);
  pthread_mutex_destroy(&b.lock);
  return b.manifest_failed ? -1 : 0;
}
