/*
 * atomic_file.c - temporary file + link/rename, see atomic_file.h.
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t file_mode = 0644;

void atomic_init_mode(void) {
  mode_t mask = umask(0);
  umask(mask);
  file_mode = (mode_t)(0666 & ~mask);
}

int atomic_create(AtomicFile *f, const char *final_path, char *err, size_t errlen) {
  const char *slash = strrchr(final_path, '/');
  size_t dir_len = slash ? (size_t)(slash - final_path) + 1 : 0;
  const char *base = slash ? slash + 1 : final_path;
  size_t len = strlen(final_path) + 32;
  struct stat sb;
  f->fd = -1;
  f->tmp_path = NULL;
  f->direct = 0;
  if (stat(final_path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
    f->final_path = strdup(final_path);
    f->fd = f->final_path ? open(final_path, O_WRONLY | O_CLOEXEC) : -1;
    if (f->fd < 0) {
      snprintf(err, errlen, "cannot open %s: %s", final_path,
               f->final_path ? strerror(errno) : "out of memory");
      atomic_abort(f);
      return -1;
    }
    f->direct = 1;
    return 0;
  }
  f->final_path = strdup(final_path);
  f->tmp_path = malloc(len);
  if (!f->final_path || !f->tmp_path) {
    snprintf(err, errlen, "out of memory");
    atomic_abort(f);
    return -1;
  }
  snprintf(f->tmp_path, len, "%.*s.%s.XXXXXX", (int)dir_len, final_path, base);
  f->fd = mkstemp(f->tmp_path);
  if (f->fd < 0) {
    int e = errno;
    free(f->tmp_path);
    f->tmp_path = NULL;
    snprintf(err, errlen, "cannot create a file in %s%.*s: %s", dir_len ? "" : ".",
             (int)dir_len, final_path, strerror(e));
    atomic_abort(f);
    return -1;
  }
  if (fchmod(f->fd, file_mode) != 0) {
    /* keep mkstemp's 0600: still correct, only stricter */
  }
  return 0;
}

int atomic_commit(AtomicFile *f, int overwrite, char *err, size_t errlen) {
  int e;
  if (f->direct) {
    e = f->fd >= 0 && close(f->fd) != 0 ? errno : 0;
    f->fd = -1;
    atomic_abort(f);
    if (e) snprintf(err, errlen, "cannot write: %s", strerror(e));
    return e ? -1 : 0;
  }
  if (f->fd >= 0) {
    if (close(f->fd) != 0) {
      e = errno;
      f->fd = -1;
      snprintf(err, errlen, "cannot write: %s", strerror(e));
      atomic_abort(f);
      return -1;
    }
    f->fd = -1;
  }
  if (overwrite) {
    if (rename(f->tmp_path, f->final_path) != 0) goto fail;
  } else if (link(f->tmp_path, f->final_path) == 0) {
    unlink(f->tmp_path);
  } else if (errno == EEXIST) {
    snprintf(err, errlen, "exists (use -f to overwrite or -n to skip)");
    atomic_abort(f);
    return -1;
  } else {
    /* file systems without hard links: check, then rename */
    struct stat sb;
    if (stat(f->final_path, &sb) == 0) {
      snprintf(err, errlen, "exists (use -f to overwrite or -n to skip)");
      atomic_abort(f);
      return -1;
    }
    if (rename(f->tmp_path, f->final_path) != 0) goto fail;
  }
  free(f->tmp_path);
  f->tmp_path = NULL;
  free(f->final_path);
  f->final_path = NULL;
  return 0;
fail:
  e = errno;
  snprintf(err, errlen, "cannot rename the finished file into place: %s", strerror(e));
  atomic_abort(f);
  return -1;
}

void atomic_abort(AtomicFile *f) {
  if (f->fd >= 0) close(f->fd);
  f->fd = -1;
  if (f->tmp_path) unlink(f->tmp_path);
  free(f->tmp_path);
  f->tmp_path = NULL;
  free(f->final_path);
  f->final_path = NULL;
}
