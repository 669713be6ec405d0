/*
 * output_set.h - the files one input's processing writes, as planned
 * (output_plan.h): each is created as a temporary file beside its final
 * name (atomic_file.h) and all of them are moved into place together at the
 * end, or all removed. Failures name the file they are about.
 */
#ifndef CLI_OUTPUT_SET_H
#define CLI_OUTPUT_SET_H

#include "atomic_file.h"
#include "fault.h"
#include "output_plan.h"

typedef struct {
  const OutputPlan *plan;
  int overwrite;                /* -f: replace existing files */
  AtomicFile file[OUT_KINDS];
  int created[OUT_KINDS];       /* 1 while a temporary file exists for the kind */
} OutputSet;

void outset_init(OutputSet *s, const OutputPlan *plan, int overwrite);

/* Creates the temporary file of a planned output (not for stdout). Returns
 * its descriptor, owned by the set (writers dup it or use it without closing
 * it), or -1 with the failure recorded in f, naming the file. */
int outset_create(OutputSet *s, int kind, Fault *f);

/* Moves every created file onto its final name, side files first and the
 * audio output last. When one fails, the files this call had put in place
 * under names that did not exist before are removed again and the rest are
 * discarded: a failed input leaves none of its outputs. (A file that
 * replaced an older one with -f cannot be restored.) Returns 0 or -1 + f. */
int outset_commit(OutputSet *s, Fault *f);

/* Removes every temporary file (no-op for those committed). */
void outset_abort(OutputSet *s);

#endif
