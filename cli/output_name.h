/*
 * output_name.h - where a file's output goes: -o, -O DIR/NAME, or
 * NAME.denoised.EXT beside the input; -t changes the extension.
 */
#ifndef CLI_OUTPUT_NAME_H
#define CLI_OUTPUT_NAME_H

#include "options.h"

/* ext_if_none: extension for an input that has none (from its format).
 * Returns 0, or -1 when no name can be made (stdin without -o). */
int output_name(const CliOptions *opt, const char *input, const char *type_ext,
                const char *ext_if_none, char *out, unsigned long len);

#endif
