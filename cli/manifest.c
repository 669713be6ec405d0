/*
 * manifest.c - see manifest.h.
 */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_LEN (sizeof MANIFEST_HEADER - 1) /* bytes, without the newline */

/* Takes (type F_WRLCK) or releases (F_UNLCK) the lock on the whole file;
 * waits for other holders. Returns 0 or an errno value. */
static int lock_whole(int fd, short type) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type;
  fl.l_whence = SEEK_SET; /* l_start 0, l_len 0: the whole file, however long it grows */
  while (fcntl(fd, F_SETLKW, &fl) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

/* 1 when the file is empty or starts with the header line, 0 otherwise,
 * -1 on a read error. Called under the lock. */
static int has_header_or_empty(int fd) {
  char buf[HEADER_LEN + 1];
  ssize_t got;
  struct stat sb;
  if (fstat(fd, &sb) != 0) return -1;
  if (sb.st_size == 0) return 1;
  if ((size_t)sb.st_size < sizeof buf) return 0;
  got = pread(fd, buf, sizeof buf, 0);
  if (got < 0) return -1;
  return (size_t)got == sizeof buf && !memcmp(buf, MANIFEST_HEADER, HEADER_LEN) &&
         buf[HEADER_LEN] == '\n';
}

int manifest_open(Manifest *m, const char *path, char *err, size_t errlen) {
  struct stat sb;
  int e, ok;
  m->path = path;
  m->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (m->fd < 0) {
    snprintf(err, errlen, "cannot open the manifest: %s", strerror(errno));
    return -1;
  }
  if (fstat(m->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    snprintf(err, errlen, "the manifest must be a regular file");
    goto fail;
  }
  e = lock_whole(m->fd, F_WRLCK);
  if (e) {
    snprintf(err, errlen, "cannot lock the manifest: %s", strerror(e));
    goto fail;
  }
  ok = has_header_or_empty(m->fd);
  lock_whole(m->fd, F_UNLCK);
  if (ok < 0) {
    snprintf(err, errlen, "cannot read the manifest: %s", strerror(errno));
    goto fail;
  }
  if (!ok) {
    snprintf(err, errlen, "not a percepnet manifest (its first line is not the header "
             "'input<TAB>output<TAB>status<TAB>...'); refusing to append to it");
    goto fail;
  }
  if (pthread_mutex_init(&m->lock, NULL) != 0) {
    snprintf(err, errlen, "cannot create a lock");
    goto fail;
  }
  return 0;
fail:
  close(m->fd);
  m->fd = -1;
  return -1;
}

/* Appends s to buf at *len; escaped (manifest.h) and "-" for an empty or
 * missing s when escape is 1, as it is otherwise. buf holds cap bytes;
 * returns -1 when s does not fit. */
static int put(char *buf, size_t *len, size_t cap, const char *s, int escape) {
  size_t n = *len;
  if (escape && (!s || !*s)) s = "-";
  for (; *s; s++) {
    const char *esc = !escape ? NULL : *s == '\\' ? "\\\\" : *s == '\t' ? "\\t"
                      : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;
    size_t k = esc ? 2 : 1;
    if (n + k >= cap) return -1;
    if (esc) memcpy(buf + n, esc, 2);
    else buf[n] = *s;
    n += k;
  }
  *len = n;
  return 0;
}

int manifest_append(Manifest *m, const char *input, const char *output, const char *status,
                    double seconds, const char *model_id, const char *md5, char *err,
                    size_t errlen) {
  /* the row is laid out after `pre` bytes of room, so that one write() can
   * also carry the header (first row) or a newline closing a cut-off row */
  const size_t pre = HEADER_LEN + 1;
  enum { ROW_CAP = HEADER_LEN + 1 + 4 * 4096 + 256 }; /* two paths, each doubled at worst */
  char *row = malloc(ROW_CAP), tail[160], last = '\n';
  size_t len = pre, start = pre;
  struct stat sb;
  int e, locked = 0;
  ssize_t w;
  if (!row) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  snprintf(tail, sizeof tail, "\t%s\t%.3f\t%s\t%s\n", status, seconds, model_id,
           md5 && *md5 ? md5 : "-");
  if (put(row, &len, ROW_CAP, input, 1) || put(row, &len, ROW_CAP, "\t", 0) ||
      put(row, &len, ROW_CAP, output, 1) || put(row, &len, ROW_CAP, tail, 0)) {
    free(row);
    snprintf(err, errlen, "path too long for a manifest row");
    return -1;
  }
  pthread_mutex_lock(&m->lock);
  e = lock_whole(m->fd, F_WRLCK);
  if (!e) {
    locked = 1;
    if (fstat(m->fd, &sb) != 0) e = errno;
    else if (sb.st_size > 0 && pread(m->fd, &last, 1, sb.st_size - 1) != 1) e = errno ? errno : EIO;
  }
  if (!e) {
    if (sb.st_size == 0) {
      start = 0;
      memcpy(row, MANIFEST_HEADER "\n", pre);
    } else if (last != '\n') {
      row[--start] = '\n';
    }
    w = write(m->fd, row + start, len - start);
    if (w < 0) e = errno;
    else if ((size_t)w != len - start) e = ENOSPC;
  }
  if (locked) lock_whole(m->fd, F_UNLCK);
  pthread_mutex_unlock(&m->lock);
  free(row);
  if (e) {
    snprintf(err, errlen, "cannot append to the manifest: %s", strerror(e));
    return -1;
  }
  return 0;
}

void manifest_close(Manifest *m) {
  if (m->fd < 0) return;
  close(m->fd);
  m->fd = -1;
  pthread_mutex_destroy(&m->lock);
}
