/*
 * file_list.h - the --files-from LIST of a batch: input paths, one a line,
 * from a file or ("-") from stdin, for batches too long for a command line.
 * A line ends at LF; a CR before the LF is dropped (lists written on
 * Windows); empty lines are skipped; every other byte, blanks included, is
 * part of the path.
 */
#ifndef CLI_FILE_LIST_H
#define CLI_FILE_LIST_H

#include <stddef.h>

typedef struct {
  char **paths; /* n paths, NUL-terminated, pointing into text */
  int n;
  char *text;   /* the whole list, lines cut at their ends */
} FileList;

/* Reads the list at path ("-" = stdin). Returns 0, or -1 with a one-line
 * reason in err (the caller names the list); on failure *fl holds nothing. */
int file_list_read(const char *path, FileList *fl, char *err, size_t errlen);

void file_list_free(FileList *fl);

#endif
