/*
 * fault.c - see fault.h.
 */
#include "fault.h"

#include <stdarg.h>
#include <stdio.h>

int fault_set(Fault *f, const char *file, const char *fmt, ...) {
  va_list ap;
  if (f->set) return -1;
  f->set = 1;
  snprintf(f->file, sizeof f->file, "%s", file ? file : "");
  va_start(ap, fmt);
  vsnprintf(f->reason, sizeof f->reason, fmt, ap);
  va_end(ap);
  return -1;
}
