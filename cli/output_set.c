/*
 * output_set.c - see output_set.h.
 */
#include "output_set.h"

#include <string.h>
#include <unistd.h>

void outset_init(OutputSet *s, const OutputPlan *plan, int overwrite) {
  int k;
  memset(s, 0, sizeof *s);
  s->plan = plan;
  s->overwrite = overwrite;
  for (k = 0; k < OUT_KINDS; k++) s->file[k].fd = -1;
}

int outset_create(OutputSet *s, int kind, Fault *f) {
  char err[FAULT_REASON_LEN];
  const char *path = s->plan->path[kind];
  if (atomic_create(&s->file[kind], path, err, sizeof err)) return fault_set(f, path, "%s", err);
  s->created[kind] = 1;
  return s->file[kind].fd;
}

int outset_commit(OutputSet *s, Fault *f) {
  /* side files first: the audio output, what -n looks for, comes last */
  static const int order[OUT_KINDS] = {OUT_RESIDUAL, OUT_GAINS, OUT_GAINS_COLUMNS, OUT_PITCH,
                                       OUT_PITCH_COLUMNS, OUT_LABELS, OUT_REPORT, OUT_AUDIO};
  int fresh[OUT_KINDS] = {0};
  int i, k;
  for (i = 0; i < OUT_KINDS; i++) {
    char err[FAULT_REASON_LEN];
    k = order[i];
    if (!s->created[k]) continue;
    fresh[k] = !s->file[k].direct && access(s->plan->path[k], F_OK) != 0;
    if (atomic_commit(&s->file[k], s->overwrite, err, sizeof err)) {
      s->created[k] = 0;
      fault_set(f, s->plan->path[k], "%s", err);
      while (i-- > 0) {
        int done = order[i];
        if (fresh[done]) unlink(s->plan->path[done]);
      }
      outset_abort(s);
      return -1;
    }
    s->created[k] = 0;
  }
  return 0;
}

void outset_abort(OutputSet *s) {
  int k;
  for (k = 0; k < OUT_KINDS; k++) {
    if (s->created[k]) atomic_abort(&s->file[k]);
    s->created[k] = 0;
  }
}
