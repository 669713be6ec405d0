/*
 * messages.c - stderr output shared by all worker threads, under one mutex so
 * lines never interleave. The progress line is redrawn in place with '\r' and
 * erased before any other line is printed.
 */
#include "messages.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t msg_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *msg_fp;             /* where messages go: stderr, or its copy while
                                    libraries are muted */
static int msg_level = 1;
static int msg_tty;
static int progress_shown;       /* 1 while a progress line is on screen */
static double progress_last_s;   /* monotonic seconds of the last redraw */

#define OUT (msg_fp ? msg_fp : stderr)

void msg_init(int verbosity) {
  msg_level = verbosity;
  msg_tty = isatty(STDERR_FILENO);
}

void msg_mute_libraries(void) {
  int keep, null_fd;
  FILE *fp;
  if (msg_fp) return;
  fflush(stderr);
  keep = dup(STDERR_FILENO);
  fp = keep >= 0 ? fdopen(keep, "w") : NULL;
  null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (!fp || null_fd < 0 || dup2(null_fd, STDERR_FILENO) < 0) {
    if (fp) fclose(fp);
    else if (keep >= 0) close(keep);
    if (null_fd >= 0) close(null_fd);
    return;
  }
  close(null_fd);
  msg_fp = fp;
}

void msg_unmute_libraries(void) {
  if (!msg_fp) return;
  fflush(msg_fp);
  dup2(fileno(msg_fp), STDERR_FILENO);
  fclose(msg_fp);
  msg_fp = NULL;
}

static void clear_progress_locked(void) {
  if (progress_shown) {
    fputs("\r\033[K", OUT);
    progress_shown = 0;
  }
}

static void vline(const char *kind, const char *file, const char *fmt, va_list ap) {
  pthread_mutex_lock(&msg_lock);
  clear_progress_locked();
  fputs("percepnet: ", OUT);
  if (file) fprintf(OUT, "%s: ", file);
  if (kind) fputs(kind, OUT);
  vfprintf(OUT, fmt, ap);
  fputc('\n', OUT);
  fflush(OUT);
  pthread_mutex_unlock(&msg_lock);
}

void msg_error(const char *file, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vline(NULL, file, fmt, ap);
  va_end(ap);
}

void msg_warn(const char *file, const char *fmt, ...) {
  va_list ap;
  if (msg_level < 1) return;
  va_start(ap, fmt);
  vline("warning: ", file, fmt, ap);
  va_end(ap);
}

void msg_info(int level, const char *file, const char *fmt, ...) {
  va_list ap;
  if (msg_level < level) return;
  va_start(ap, fmt);
  vline(NULL, file, fmt, ap);
  va_end(ap);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void msg_progress(const char *file, double done, double speed) {
  double t;
  const char *base;
  if (!msg_tty || msg_level < 1) return;
  t = now_s();
  pthread_mutex_lock(&msg_lock);
  if (t - progress_last_s >= 0.2) {
    progress_last_s = t;
    base = strrchr(file, '/');
    base = base ? base + 1 : file;
    fprintf(OUT, "\r\033[K%.40s: %3.0f%%", base, 100.0 * done);
    if (speed > 0.0) fprintf(OUT, "  %.1fx real time", speed);
    fflush(OUT);
    progress_shown = 1;
  }
  pthread_mutex_unlock(&msg_lock);
}

void msg_progress_end(void) {
  pthread_mutex_lock(&msg_lock);
  clear_progress_locked();
  fflush(OUT);
  pthread_mutex_unlock(&msg_lock);
}
