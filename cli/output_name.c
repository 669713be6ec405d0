/*
 * output_name.c - see output_name.h.
 */
#include "output_name.h"

#include <stdio.h>
#include <string.h>

int output_name(const CliOptions *opt, const char *input, const char *type_ext,
                const char *ext_if_none, char *out, unsigned long len) {
  const char *slash, *base, *dot;
  size_t dir_len, stem_len;
  const char *ext;
  if (opt->output) {
    snprintf(out, len, "%s", opt->output);
    return 0;
  }
  if (!strcmp(input, "-")) return -1;
  slash = strrchr(input, '/');
  base = slash ? slash + 1 : input;
  dir_len = (size_t)(base - input);
  dot = strrchr(base, '.');
  if (dot == base) dot = NULL; /* ".hidden" has no extension */
  stem_len = dot ? (size_t)(dot - base) : strlen(base);
  ext = type_ext ? type_ext : dot ? dot + 1 : ext_if_none;
  if (opt->out_dir) {
    size_t dl = strlen(opt->out_dir);
    snprintf(out, len, "%s%s%.*s.%s", opt->out_dir,
             dl && opt->out_dir[dl - 1] == '/' ? "" : "/", (int)stem_len, base, ext);
  } else {
    snprintf(out, len, "%.*s%.*s.denoised.%s", (int)dir_len, input, (int)stem_len, base, ext);
  }
  return 0;
}
