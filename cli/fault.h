/*
 * fault.h - the first failure of one file's processing: which file it is
 * about (an input, the output or a side file) and why. Later failures are
 * consequences of the first and are not recorded, so a message always names
 * the file where things went wrong.
 */
#ifndef CLI_FAULT_H
#define CLI_FAULT_H

#define FAULT_PATH_LEN 4096 /* bytes, with the NUL */
#define FAULT_REASON_LEN 512

typedef struct {
  int set;                       /* 1 once a failure is recorded */
  char file[FAULT_PATH_LEN];     /* "" when the failure is about no file */
  char reason[FAULT_REASON_LEN];
} Fault;

/* Records file (may be NULL) and the reason unless a failure is recorded
 * already. Returns -1, for `return fault_set(...)`. */
int fault_set(Fault *f, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
