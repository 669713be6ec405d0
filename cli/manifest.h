/*
 * manifest.h - the --manifest FILE of a batch: one TSV row per file, appended
 * as each file ends, so that a restarted job knows what is done and a
 * reviewer can audit the run. Columns (the header row names them):
 *
 *   input    the input path as given
 *   output   the output path ("-" = stdout; "-" when none was decided)
 *   status   done | skipped | failed
 *   seconds  wall-clock time spent on the file, seconds, 3 decimals
 *   model    the model id (16 hex digits)
 *   pcm_md5  MD5 of the output PCM as --md5 prints it ("-" unless done)
 *
 * Paths are written with '\\', TAB, LF and CR escaped as \\, \t, \n, \r.
 *
 * Several threads, processes and hosts may append to one manifest at once:
 * every row goes out in a single write() on an O_APPEND descriptor while the
 * writer holds an exclusive fcntl() lock on the whole file (and, within one
 * process, a mutex, since fcntl locks are per process). The header is written
 * by whichever writer finds the file empty under that lock, so exactly once;
 * a row left without its newline by a killed writer is closed before the next
 * row, so it stays one (malformed) line of its own.
 */
#ifndef CLI_MANIFEST_H
#define CLI_MANIFEST_H

#include <pthread.h>
#include <stddef.h>

/* The header row, without its newline. */
#define MANIFEST_HEADER "input\toutput\tstatus\tseconds\tmodel\tpcm_md5"

typedef struct Manifest {
  int fd;                 /* O_WRONLY | O_APPEND, -1 when closed */
  const char *path;
  pthread_mutex_t lock;   /* one row at a time within this process */
} Manifest;

/* Opens (creating when missing) the manifest for appending. A non-empty file
 * must start with MANIFEST_HEADER: any other file is refused, never appended
 * to. Returns 0, or -1 with a one-line reason in err. */
int manifest_open(Manifest *m, const char *path, char *err, size_t errlen);

/* Appends one row; status is "done", "skipped" or "failed", output and md5
 * may be NULL or "" (written as "-"). Returns 0, or -1 with a reason. */
int manifest_append(Manifest *m, const char *input, const char *output, const char *status,
                    double seconds, const char *model_id, const char *md5, char *err,
                    size_t errlen);

void manifest_close(Manifest *m);

#endif
