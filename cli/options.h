/*
 * options.h - the command line of percepnet, parsed into one plain struct.
 */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include "file_list.h"

enum { CHANNELS_INDEPENDENT = 0, CHANNELS_LINKED = 1 };
enum { RESAMPLE_BEST = 0, RESAMPLE_MEDIUM = 1, RESAMPLE_FAST = 2 };
/* Sample encodings (-e, --raw-encoding); the companded and ADPCM ones have
 * a fixed size and are written by libsndfile's encoders. */
enum {
  ENCODING_DEFAULT = 0, ENCODING_SIGNED, ENCODING_UNSIGNED, ENCODING_FLOAT,
  ENCODING_MU_LAW, ENCODING_A_LAW, ENCODING_IMA_ADPCM, ENCODING_MS_ADPCM, ENCODING_GSM
};
enum { OVERWRITE_REFUSE = 0, OVERWRITE_FORCE, OVERWRITE_SKIP };

/* Raw PCM input: all three of rate, channels and encoding+bits are required. */
typedef struct {
  int enabled;     /* 1 when any --raw-* option was given */
  int rate;        /* Hz, 0 = not given */
  int channels;    /* 0 = not given */
  int bits;        /* 8, 16, 24, 32 or 64; 0 = not given */
  int encoding;    /* ENCODING_* */
  int big_endian;  /* 0 = little (default), 1 = big */
} RawFormat;

typedef struct {
  const char **inputs;   /* input paths ("-" = stdin): argv's, then the listed ones */
  int n_inputs;
  const char *output;    /* -o FILE or "-" */
  const char *out_dir;   /* -O DIR */
  const char *out_type;  /* -t TYPE: container name, NULL = from name/input */
  int out_rate;          /* -r Hz, 0 = the input's */
  int out_bits;          /* -b, 0 = the input's */
  int out_encoding;      /* -e, ENCODING_DEFAULT = the input's */
  int overwrite;         /* OVERWRITE_* */
  int jobs;              /* -j: files in parallel, >= 1 after parsing */
  int channels_mode;     /* CHANNELS_* */
  int resample_quality;  /* RESAMPLE_* */
  int verbosity;         /* 0 = -q, 1 = normal, 2 = -v, 3+ = -vv (the plan of files) */
  int no_tag;            /* 1: do not add the software tag */
  const char *model_path;/* --model, NULL = built-in */
  float atten_lim_db;    /* -a in dB: < 0 = no limit (default), 0 = no attenuation at all:
                            the input is copied through and no denoiser runs */
  int oracle;            /* --oracle: inputs are CLEAN NOISY */
  int oracle_comb;       /* PERCEPNET_ORACLE_*: 1 default, 0 --oracle-no-comb, 2 --oracle-clean-pitch */
  int no_preroll;        /* --no-preroll: no mirrored pre-roll at the start */
  int stages;            /* PERCEPNET_STAGE_* left on: the mode's default (the
                            library's; all of them in oracle mode) with the
                            stages named by --enable/--disable set or cleared */
  int stages_named;      /* stages named by --enable/--disable */
  int stages_on;         /* of those, the ones the last naming turned on */
  const char *dump_gains;/* --dump-gains */
  const char *dump_pitch;/* --dump-pitch */
  const char *residual;  /* --residual */
  const char *vad_labels;/* --vad-labels */
  const char *report;    /* --report FILE, "-" = stderr */
  int md5;               /* --md5 */
  const char *manifest;  /* --manifest FILE: a TSV row per file (manifest.h) */
  const char *files_from;/* --files-from LIST ("-" = stdin) */
  FileList listed;       /* the paths read from files_from */
  RawFormat raw;
  int show_version;      /* --version */
  const char *cmdline;   /* the options as one line, for dumps and reports */
} CliOptions;

/* What main() does after parsing. */
enum { PARSE_RUN = 0, PARSE_EXIT_OK = 1, PARSE_USAGE_ERROR = 2 };

/* Parses argv into *opt; prints usage errors (one line) on stderr. The
 * returned cmdline string is allocated; release with options_free(). */
int options_parse(int argc, char **argv, CliOptions *opt);
void options_free(CliOptions *opt);

/* Name of a quality for messages and reports ("best", "medium", "fast"). */
const char *options_quality_name(int quality);

/* The sox name of an ENCODING_* ("signed-integer", "mu-law", ...), NULL for
 * ENCODING_DEFAULT. */
const char *options_encoding_name(int encoding);

#endif
