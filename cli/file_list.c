/*
 * file_list.c - see file_list.h.
 */
#include "file_list.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATH_BYTES 4095 /* the longest path an output name is built from */

/* Reads all of fp into a NUL-terminated buffer; *len bytes without the NUL. */
static char *slurp(FILE *fp, size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap + 1), *grown;
  if (!buf) return NULL;
  for (;;) {
    size_t got = fread(buf + n, 1, cap - n, fp);
    n += got;
    if (n < cap) break;
    grown = realloc(buf, 2 * cap + 1);
    if (!grown) {
      free(buf);
      return NULL;
    }
    buf = grown;
    cap *= 2;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

int file_list_read(const char *path, FileList *fl, char *err, size_t errlen) {
  int from_stdin = !strcmp(path, "-");
  FILE *fp = from_stdin ? stdin : fopen(path, "rb");
  size_t len = 0, i, start, lines = 0;
  long line_no = 0;
  int n = 0;
  memset(fl, 0, sizeof *fl);
  if (!fp) {
    snprintf(err, errlen, "cannot open the file list: %s", strerror(errno));
    return -1;
  }
  fl->text = slurp(fp, &len);
  if (!fl->text || ferror(fp)) {
    snprintf(err, errlen, fl->text ? "cannot read the file list" : "out of memory");
    if (!from_stdin) fclose(fp);
    file_list_free(fl);
    return -1;
  }
  if (!from_stdin) fclose(fp);
  for (i = 0; i < len; i++) lines += fl->text[i] == '\n';
  if (lines + 1 > INT_MAX) {
    snprintf(err, errlen, "more than %d paths in the file list", INT_MAX - 1);
    file_list_free(fl);
    return -1;
  }
  fl->paths = malloc(sizeof *fl->paths * (lines + 1));
  if (!fl->paths) {
    snprintf(err, errlen, "out of memory");
    file_list_free(fl);
    return -1;
  }
  for (start = 0; start < len; start = i + 1) {
    size_t end;
    line_no++;
    for (i = start; i < len && fl->text[i] != '\n'; i++) {
      if (fl->text[i] == '\0') {
        snprintf(err, errlen, "line %ld: a NUL byte in a path", line_no);
        file_list_free(fl);
        return -1;
      }
    }
    end = i;
    if (end > start && fl->text[end - 1] == '\r') end--;
    fl->text[end] = '\0';
    if (end == start) continue;
    if (end - start > MAX_PATH_BYTES) {
      snprintf(err, errlen, "line %ld: a path longer than %d bytes", line_no, MAX_PATH_BYTES);
      file_list_free(fl);
      return -1;
    }
    fl->paths[n++] = fl->text + start;
  }
  fl->n = n;
  return 0;
}

void file_list_free(FileList *fl) {
  free(fl->paths);
  free(fl->text);
  memset(fl, 0, sizeof *fl);
}
