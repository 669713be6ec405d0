/*
 * batch.c - see batch.h. Jobs are taken in input order from a shared index.
 */
#include "batch.h"

#include "interrupt.h"
#include "messages.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
  const RunContext *run;
  const FileJob *jobs;
  FileResult *results;
  int n_jobs;
  int next;           /* next job to take, under lock */
  pthread_mutex_t lock;
} Batch;

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
    process_file(b->run, &b->jobs[i], &b->results[i]);
  }
}

void batch_run(const RunContext *run, const FileJob *jobs, FileResult *results, int n_jobs,
               int threads) {
  Batch b;
  pthread_t *tid;
  int t, started = 0;
  b.run = run;
  b.jobs = jobs;
  b.results = results;
  b.n_jobs = n_jobs;
  b.next = 0;
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
}
