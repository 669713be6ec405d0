/*
 * atomic_file.h - an output file that appears under its final name only when
 * complete: written as a hidden temporary file in the target directory, then
 * linked (or, with overwrite, renamed) onto the final name. A failure or an
 * interruption removes the temporary file, so no partial file is ever left
 * under the final name.
 */
#ifndef CLI_ATOMIC_FILE_H
#define CLI_ATOMIC_FILE_H

#include <stddef.h>

typedef struct {
  char *final_path; /* the name the file gets on success */
  char *tmp_path;   /* DIR/.NAME.XXXXXX while being written; NULL when done */
  int fd;           /* open on tmp_path, -1 once handed over or closed */
  int direct;       /* 1: final_path is a device, FIFO or socket (-o /dev/null),
                       opened and written in place: renaming a file onto it
                       would replace the device node */
} AtomicFile;

/* Creates the temporary file (or, for an existing non-regular final_path,
 * opens it: direct mode). Returns 0, or -1 with a reason in err. */
int atomic_create(AtomicFile *f, const char *final_path, char *err, size_t errlen);

/* Moves the finished file onto its final name; the fd must be closed by the
 * caller first (or left to this function when still >= 0). Without
 * overwrite, fails if the final name exists by now. Returns 0 or -1 + err. */
int atomic_commit(AtomicFile *f, int overwrite, char *err, size_t errlen);

/* Closes and removes the temporary file (no-op once committed). */
void atomic_abort(AtomicFile *f);

/* Sets the permission bits files get (0666 & ~umask); call once at start. */
void atomic_init_mode(void);

#endif
