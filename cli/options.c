/*
 * options.c - parses the command line. Short options combine as with getopt
 * ("-fq", "-vv"); one that takes a value takes the rest of its word or the
 * next word ("-j4", "-fj 4"); long options take the next word or the text
 * after '='.
 * "--" ends the options; a lone "-" is an input (stdin) or, after -o, stdout.
 */
#include "options.h"

#include "formats.h"
#include "percepnet.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Default converter, chosen by measurement (`make bench-cli-resample`,
 * scripts/bench_cli/bench_cli.py): round trip 44.1 -> 48 -> 44.1 kHz on 10 s
 * of speech, error energy relative to the signal in 0-8 kHz / 0-16 kHz, and
 * callgrind instructions per second of audio and direction:
 *   best   -125 dB / -120 dB  4.66e8
 *   medium -107 dB / -100 dB  1.53e8
 *   fast    -88 dB /  -64 dB  6.81e7
 * "fast" keeps the speech band 88 dB clean - below the quantisation noise of
 * 16-bit output for speech at -20 dBFS - at 1/7 of the cost of "best"; the
 * denoiser itself changes the signal by far more than any of the three. */
#define RESAMPLE_DEFAULT RESAMPLE_FAST

static const char usage_text[] =
"usage: percepnet [options] INPUT... [-o OUTPUT | -O DIR]\n"
"       percepnet --oracle CLEAN NOISY -o OUTPUT\n"
"Denoises speech in audio files. Output has the input's length, rate, channels\n"
"and sample format, sample-aligned with the input. '-' reads stdin / writes stdout.\n"
"\n"
"Output:\n"
"  -o FILE            output file ('-' = stdout; one input only)\n"
"  -O DIR             output directory (made when missing), keeping each input's name\n"
"                     (default: NAME.denoised.EXT beside the input)\n"
"  -t TYPE            container: wav flac ogg opus mp3 aiff au caf w64 rf64 raw\n"
"  -r RATE            output sample rate in Hz (default: the input's)\n"
"  -b BITS            bits per sample: 8 16 24 32 (64 with -e float)\n"
"  -e ENCODING        sample encoding: signed float mu-law a-law ima-adpcm\n"
"                     ms-adpcm gsm-full-rate (default: the input's)\n"
"  -f, --force        overwrite existing outputs (also side files and the report)\n"
"  -n, --skip-existing  skip inputs whose output exists or that are outputs;\n"
"                     an existing --report gets this run's lines added\n"
"      --no-tag       do not add the software tag (string tags are still copied)\n"
"\n"
"Processing:\n"
"  -a, --atten-lim DB   attenuate no band by more than DB dB (default: no limit;\n"
"                     0 copies the input through)\n"
"      --channels independent|linked  one gain per channel (default) or shared\n"
"      --no-preroll   start from the reset state instead of pre-rolling the\n"
"                     chain over the mirrored first 200 ms (may let noise through\n"
"                     at the start; for comparisons)\n"
"      --resample-quality best|medium|fast  libsamplerate converter (default fast)\n"
"  -m, --model FILE   load a model file instead of the built-in model\n"
"      --oracle       ideal gains from a clean reference: inputs are CLEAN NOISY\n"
"      --oracle-no-comb  oracle with every comb-filter strength forced to 0\n"
"      --oracle-clean-pitch  oracle whose comb filters follow the clean file's pitch\n"
"      --enable STAGES, --disable STAGES  switch stages after the network or\n"
"                     oracle on or off: comma list of comb, decay-limit,\n"
"                     postfilter (default: comb and decay-limit on; in oracle\n"
"                     mode all three)\n"
"  -j, --jobs N       files processed in parallel (default 1, 0 = all cores)\n"
"\n"
"Analysis (with several inputs, '{}' in FILE is replaced by each input's name):\n"
"      --dump-gains FILE  per frame and channel: vad, band gains, comb strengths\n"
"      --dump-pitch FILE  per frame and channel: pitch period, f0, correlation\n"
"                     (TSV; a name ending in .npy writes float32 NumPy + .json)\n"
"      --residual FILE    what was removed: input minus output, sample-aligned\n"
"      --vad-labels FILE  speech regions as an Audacity label track\n"
"      --report FILE      one JSON object per file ('-' = stderr)\n"
"      --md5          print the MD5 of the output PCM (as flac computes it)\n"
"\n"
"Large batches:\n"
"      --files-from LIST  more inputs, one path a line ('-' = stdin)\n"
"      --manifest FILE    append a TSV row per file: input, output, status\n"
"                     (done|skipped|failed), seconds, model, pcm_md5; safe to\n"
"                     share between processes and hosts (locked appends)\n"
"\n"
"Raw PCM input (never guessed; all three of rate, channels, encoding needed):\n"
"      --raw-rate HZ  --raw-channels N  --raw-encoding signed|unsigned|float\n"
"      --raw-bits 8|16|24|32|64 (default 16)  --raw-endian little|big\n"
"\n"
"Messages (stderr only):\n"
"  -q, --quiet        errors only\n"
"  -v, --verbose      per-file detail; -vv also lists every file each input writes\n"
"      --version      version and model id\n"
"  -h, --help         this text\n"
"Environment: PERCEPNET_CPU=c|sse4.1|avx2|avx512|neon forces a kernel path.\n"
"Exit status: 0 all files done, 1 usage error, 2 a file failed.\n";

const char *options_quality_name(int quality) {
  switch (quality) {
    case RESAMPLE_BEST: return "best";
    case RESAMPLE_MEDIUM: return "medium";
    default: return "fast";
  }
}

static int parse_int(const char *opt, const char *s, long lo, long hi, int *out) {
  char *end;
  long v;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) {
    fprintf(stderr, "percepnet: %s: expected an integer from %ld to %ld, got '%s'\n",
            opt, lo, hi, s);
    return -1;
  }
  *out = (int)v;
  return 0;
}

/* -e names as sox spells them, plus the short forms signed/unsigned/float. */
static const struct { const char *name; int encoding; } encoding_names[] = {
    {"signed", ENCODING_SIGNED},       {"signed-integer", ENCODING_SIGNED},
    {"unsigned", ENCODING_UNSIGNED},   {"unsigned-integer", ENCODING_UNSIGNED},
    {"float", ENCODING_FLOAT},         {"floating-point", ENCODING_FLOAT},
    {"mu-law", ENCODING_MU_LAW},       {"u-law", ENCODING_MU_LAW},
    {"a-law", ENCODING_A_LAW},         {"ima-adpcm", ENCODING_IMA_ADPCM},
    {"ms-adpcm", ENCODING_MS_ADPCM},   {"gsm-full-rate", ENCODING_GSM},
};

const char *options_encoding_name(int encoding) {
  size_t i;
  for (i = 0; i < sizeof encoding_names / sizeof encoding_names[0]; i++)
    if (encoding_names[i].encoding == encoding) return encoding_names[i].name;
  return NULL;
}

/* raw: --raw-encoding (signed, unsigned, float); else -e (every name but
 * unsigned: integer output is signed, or unsigned where the container says so). */
static int parse_encoding(const char *opt, const char *s, int raw, int *out) {
  size_t i;
  for (i = 0; i < sizeof encoding_names / sizeof encoding_names[0]; i++) {
    int e = encoding_names[i].encoding;
    if (strcmp(s, encoding_names[i].name) != 0) continue;
    if (raw ? e <= ENCODING_FLOAT : e != ENCODING_UNSIGNED) {
      *out = e;
      return 0;
    }
  }
  if (raw)
    fprintf(stderr, "percepnet: %s: expected signed, unsigned or float, got '%s'\n", opt, s);
  else
    fprintf(stderr, "percepnet: %s: expected signed, float, mu-law, a-law, ima-adpcm, ms-adpcm "
            "or gsm-full-rate, got '%s'\n", opt, s);
  return -1;
}

/* Joins argv[1..] into one line; words with blanks are single-quoted. */
static char *join_args(int argc, char **argv) {
  size_t len = 1;
  char *s;
  int i;
  for (i = 1; i < argc; i++) len += strlen(argv[i]) + 3;
  s = malloc(len);
  if (!s) return NULL;
  s[0] = '\0';
  for (i = 1; i < argc; i++) {
    int quote = strpbrk(argv[i], " \t") != NULL;
    if (i > 1) strcat(s, " ");
    if (quote) strcat(s, "'");
    strcat(s, argv[i]);
    if (quote) strcat(s, "'");
  }
  return s;
}

/* Option table: name of the long form, short letter (0 = none), takes a value. */
typedef struct {
  const char *name;
  char letter;
  int has_value;
} OptSpec;

static const OptSpec specs[] = {
    {"output", 'o', 1},        {"output-dir", 'O', 1},   {"type", 't', 1},
    {"rate", 'r', 1},          {"bits", 'b', 1},         {"encoding", 'e', 1},
    {"force", 'f', 0},         {"skip-existing", 'n', 0},{"jobs", 'j', 1},
    {"quiet", 'q', 0},         {"verbose", 'v', 0},      {"help", 'h', 0},
    {"model", 'm', 1},         {"atten-lim", 'a', 1},    {"version", 0, 0},
    {"channels", 0, 1},        {"resample-quality", 0, 1},
    {"oracle", 0, 0},          {"oracle-no-comb", 0, 0}, {"oracle-clean-pitch", 0, 0}, {"no-tag", 0, 0},
    {"no-preroll", 0, 0},      {"disable", 0, 1},        {"manifest", 0, 1},
    {"files-from", 0, 1},      {"enable", 0, 1},
    {"dump-gains", 0, 1},      {"dump-pitch", 0, 1},     {"residual", 0, 1},
    {"vad-labels", 0, 1},      {"report", 0, 1},         {"md5", 0, 0},
    {"raw-rate", 0, 1},        {"raw-channels", 0, 1},   {"raw-bits", 0, 1},
    {"raw-encoding", 0, 1},    {"raw-endian", 0, 1},
};
#define N_SPECS (sizeof specs / sizeof specs[0])

/* "comb,decay-limit,postfilter" (any subset) of --enable or --disable
 * (option): marks their flags as named and sets (on) or clears them in *on. */
static int parse_stages(const char *option, const char *v, int on_now, int *named, int *on) {
  static const struct { const char *name; int flag; } names[] = {
      {"comb", PERCEPNET_STAGE_COMB},
      {"decay-limit", PERCEPNET_STAGE_DECAY_LIMIT},
      {"postfilter", PERCEPNET_STAGE_POSTFILTER}};
  const char *p = v;
  for (;;) {
    size_t len = strcspn(p, ","), k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
      if (strlen(names[k].name) == len && !strncmp(p, names[k].name, len)) break;
    if (k == sizeof names / sizeof names[0]) {
      fprintf(stderr, "percepnet: %s: expected a comma list of comb, decay-limit, "
                      "postfilter, got '%s'\n", option, v);
      return -1;
    }
    *named |= names[k].flag;
    if (on_now) *on |= names[k].flag;
    else *on &= ~names[k].flag;
    if (!p[len]) return 0;
    p += len + 1;
  }
}

static int apply(CliOptions *o, const OptSpec *sp, const char *v) {
  const char *n = sp->name;
  char opt[40];
  snprintf(opt, sizeof opt, "--%s", n);
  if (!strcmp(n, "output")) o->output = v;
  else if (!strcmp(n, "output-dir")) o->out_dir = v;
  else if (!strcmp(n, "type")) o->out_type = v;
  else if (!strcmp(n, "rate")) return parse_int(opt, v, 8000, 192000, &o->out_rate);
  else if (!strcmp(n, "bits")) {
    if (parse_int(opt, v, 8, 64, &o->out_bits)) return -1;
    if (o->out_bits != 8 && o->out_bits != 16 && o->out_bits != 24 && o->out_bits != 32 &&
        o->out_bits != 64) {
      fprintf(stderr, "percepnet: --bits: expected 8, 16, 24, 32 or 64, got '%s'\n", v);
      return -1;
    }
  } else if (!strcmp(n, "encoding")) return parse_encoding(opt, v, 0, &o->out_encoding);
  else if (!strcmp(n, "force") || !strcmp(n, "skip-existing")) {
    int want = !strcmp(n, "force") ? OVERWRITE_FORCE : OVERWRITE_SKIP;
    if (o->overwrite != OVERWRITE_REFUSE && o->overwrite != want) {
      fprintf(stderr, "percepnet: -f (overwrite) and -n (skip existing) exclude each other\n");
      return -1;
    }
    o->overwrite = want;
  }
  else if (!strcmp(n, "jobs")) return parse_int(opt, v, 0, 1024, &o->jobs);
  else if (!strcmp(n, "quiet")) o->verbosity = 0;
  else if (!strcmp(n, "verbose")) o->verbosity = o->verbosity < 1 ? 2 : o->verbosity + 1;
  else if (!strcmp(n, "model")) o->model_path = v;
  else if (!strcmp(n, "atten-lim")) {
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !(d >= 0.0) || d > 200.0) {
      fprintf(stderr, "percepnet: --atten-lim: expected dB from 0 to 200, got '%s'\n", v);
      return -1;
    }
    o->atten_lim_db = (float)d;
  } else if (!strcmp(n, "version")) o->show_version = 1;
  else if (!strcmp(n, "channels")) {
    if (!strcmp(v, "independent")) o->channels_mode = CHANNELS_INDEPENDENT;
    else if (!strcmp(v, "linked")) o->channels_mode = CHANNELS_LINKED;
    else {
      fprintf(stderr, "percepnet: --channels: expected independent or linked, got '%s'\n", v);
      return -1;
    }
  } else if (!strcmp(n, "resample-quality")) {
    if (!strcmp(v, "best")) o->resample_quality = RESAMPLE_BEST;
    else if (!strcmp(v, "medium")) o->resample_quality = RESAMPLE_MEDIUM;
    else if (!strcmp(v, "fast")) o->resample_quality = RESAMPLE_FAST;
    else {
      fprintf(stderr, "percepnet: --resample-quality: expected best, medium or fast, got '%s'\n", v);
      return -1;
    }
  } else if (!strcmp(n, "oracle")) o->oracle = 1;
  else if (!strcmp(n, "oracle-no-comb")) { o->oracle = 1; o->oracle_comb = PERCEPNET_ORACLE_NO_COMB; }
  else if (!strcmp(n, "oracle-clean-pitch")) { o->oracle = 1; o->oracle_comb = PERCEPNET_ORACLE_CLEAN_PITCH; }
  else if (!strcmp(n, "no-tag")) o->no_tag = 1;
  else if (!strcmp(n, "no-preroll")) o->no_preroll = 1;
  else if (!strcmp(n, "disable"))
    return parse_stages("--disable", v, 0, &o->stages_named, &o->stages_on);
  else if (!strcmp(n, "enable"))
    return parse_stages("--enable", v, 1, &o->stages_named, &o->stages_on);
  else if (!strcmp(n, "dump-gains")) o->dump_gains = v;
  else if (!strcmp(n, "dump-pitch")) o->dump_pitch = v;
  else if (!strcmp(n, "residual")) o->residual = v;
  else if (!strcmp(n, "vad-labels")) o->vad_labels = v;
  else if (!strcmp(n, "report")) o->report = v;
  else if (!strcmp(n, "md5")) o->md5 = 1;
  else if (!strcmp(n, "manifest")) o->manifest = v;
  else if (!strcmp(n, "files-from")) o->files_from = v;
  else if (!strncmp(n, "raw-", 4)) {
    o->raw.enabled = 1;
    if (!strcmp(n, "raw-rate")) return parse_int(opt, v, 1, 10000000, &o->raw.rate);
    if (!strcmp(n, "raw-channels")) return parse_int(opt, v, 1, 1024, &o->raw.channels);
    if (!strcmp(n, "raw-bits")) return parse_int(opt, v, 8, 64, &o->raw.bits);
    if (!strcmp(n, "raw-encoding")) return parse_encoding(opt, v, 1, &o->raw.encoding);
    if (!strcmp(v, "little")) o->raw.big_endian = 0;
    else if (!strcmp(v, "big")) o->raw.big_endian = 1;
    else {
      fprintf(stderr, "percepnet: --raw-endian: expected little or big, got '%s'\n", v);
      return -1;
    }
  }
  return 0;
}

/* An audio output named with an extension that has no writer (".m4a",
 * ".txt") is refused unless -t says what to write: it would get data that
 * its name does not promise. */
static int check_extension(const char *what, const char *path, const char *type) {
  const char *slash, *base, *dot;
  int codec;
  if (!path || !strcmp(path, "-") || type) return 0;
  slash = strrchr(path, '/');
  base = slash ? slash + 1 : path;
  dot = strrchr(base, '.');
  if (!dot || dot == base || !dot[1] || format_from_name(dot + 1, &codec)) return 0;
  fprintf(stderr, "percepnet: %s: %s: no writer for '.%s' files (wav flac ogg opus mp3 aiff au "
          "caf w64 rf64 raw; or -t TYPE)\n", path, what, dot + 1);
  return -1;
}

static int check(CliOptions *o) {
  int any_sidecar = o->dump_gains || o->dump_pitch || o->residual || o->vad_labels;
  /* each mode's default stages, as the library's (percepnet.h) */
  int base = o->oracle ? PERCEPNET_STAGE_ORACLE_DEFAULT : PERCEPNET_STAGE_DEFAULT;
  o->stages = (base & ~o->stages_named) | (o->stages_on & o->stages_named);
  if (o->show_version) return 0;
  if (o->n_inputs == 0 && !o->files_from) {
    fprintf(stderr, "percepnet: no input file (try 'percepnet --help')\n");
    return -1;
  }
  if (o->files_from && o->oracle) {
    fprintf(stderr, "percepnet: --files-from and --oracle exclude each other\n");
    return -1;
  }
  if (o->output && o->out_dir) {
    fprintf(stderr, "percepnet: -o and -O exclude each other\n");
    return -1;
  }
  if (o->oracle && o->n_inputs != 2) {
    fprintf(stderr, "percepnet: --oracle takes exactly two inputs: CLEAN NOISY\n");
    return -1;
  }
  if (o->output && !o->oracle && o->n_inputs > 1) {
    fprintf(stderr, "percepnet: -o names one output; use -O DIR for several inputs\n");
    return -1;
  }
  if (!o->oracle && o->n_inputs > 1 && any_sidecar) {
    const char *names[] = {o->dump_gains, o->dump_pitch, o->residual, o->vad_labels};
    for (int i = 0; i < 4; i++) {
      if (names[i] && !strstr(names[i], "{}")) {
        fprintf(stderr, "percepnet: %s: with several inputs, put '{}' in the name "
                "(replaced by each input's name)\n", names[i]);
        return -1;
      }
    }
  }
  {
    const char *names[] = {o->dump_gains, o->dump_pitch, o->residual, o->vad_labels};
    for (int i = 0; i < 4; i++) {
      if (names[i] && !strcmp(names[i], "-")) {
        fprintf(stderr, "percepnet: dumps, labels and the residual need a file name, not '-'\n");
        return -1;
      }
    }
  }
  if (check_extension("output", o->output, o->out_type) ||
      check_extension("residual", o->residual, o->out_type))
    return -1;
  if (o->atten_lim_db == 0.0f && (any_sidecar || o->oracle)) {
    fprintf(stderr, "percepnet: -a 0 runs no denoiser: it takes no --dump-*, --vad-labels, "
            "--residual or --oracle\n");
    return -1;
  }
  if (o->out_type) {
    int codec;
    if (!format_from_name(o->out_type, &codec)) {
      fprintf(stderr, "percepnet: -t %s: unknown type; expected wav, flac, ogg, opus, mp3, aiff, "
              "au, caf, w64, rf64 or raw\n", o->out_type);
      return -1;
    }
  }
  if (o->out_encoding == ENCODING_FLOAT && o->out_bits && o->out_bits != 32 && o->out_bits != 64) {
    fprintf(stderr, "percepnet: -e float takes -b 32 or -b 64\n");
    return -1;
  }
  if (o->out_encoding >= ENCODING_MU_LAW && o->out_bits &&
      !(o->out_bits == 8 && o->out_encoding <= ENCODING_A_LAW)) {
    fprintf(stderr, "percepnet: -e %s has a fixed sample size%s\n",
            options_encoding_name(o->out_encoding),
            o->out_encoding <= ENCODING_A_LAW ? " (-b 8 or no -b)" : "; leave out -b");
    return -1;
  }
  if (o->out_encoding == ENCODING_SIGNED && o->out_bits == 64) {
    fprintf(stderr, "percepnet: -b 64 needs -e float\n");
    return -1;
  }
  if (o->raw.enabled) {
    if (!o->raw.rate || !o->raw.channels || o->raw.encoding == ENCODING_DEFAULT) {
      fprintf(stderr, "percepnet: raw input needs --raw-rate, --raw-channels and --raw-encoding\n");
      return -1;
    }
    if (!o->raw.bits) o->raw.bits = o->raw.encoding == ENCODING_FLOAT ? 32 : 16;
  }
  if (o->jobs == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = n > 0 ? (int)n : 1;
  }
  return 0;
}

/* Reads --files-from and appends its paths to the inputs. */
static int add_listed_inputs(CliOptions *o) {
  char err[256];
  const char **all;
  int i;
  if (!strcmp(o->files_from, "-")) {
    for (i = 0; i < o->n_inputs; i++) {
      if (!strcmp(o->inputs[i], "-")) {
        fprintf(stderr, "percepnet: stdin ('-') can be read only once: as the list or as an input\n");
        return -1;
      }
    }
  }
  if (file_list_read(o->files_from, &o->listed, err, sizeof err)) {
    fprintf(stderr, "percepnet: %s: %s\n", o->files_from, err);
    return -1;
  }
  all = realloc((void *)o->inputs, sizeof *all * ((size_t)o->n_inputs + (size_t)o->listed.n + 1));
  if (!all) {
    fprintf(stderr, "percepnet: out of memory\n");
    return -1;
  }
  o->inputs = all;
  for (i = 0; i < o->listed.n; i++) o->inputs[o->n_inputs++] = o->listed.paths[i];
  return 0;
}

/* Applies one option; its value is `value`, else (when it takes one) the
 * next word, argv[++*i]. Returns PARSE_RUN to go on, or what to exit with. */
static int take(CliOptions *o, const OptSpec *sp, const char *shown, const char *value, int argc,
                char **argv, int *i) {
  if (sp->has_value && !value) {
    if (*i + 1 >= argc) {
      fprintf(stderr, "percepnet: %s needs a value\n", shown);
      return PARSE_USAGE_ERROR;
    }
    value = argv[++*i];
  }
  if (!strcmp(sp->name, "help")) {
    fputs(usage_text, stdout);
    return PARSE_EXIT_OK;
  }
  return apply(o, sp, value) ? PARSE_USAGE_ERROR : PARSE_RUN;
}

int options_parse(int argc, char **argv, CliOptions *o) {
  int i, rc, only_inputs = 0;
  const char *p;
  memset(o, 0, sizeof *o);
  o->jobs = 1;
  o->verbosity = 1;
  o->oracle_comb = PERCEPNET_ORACLE_COMB;
  o->resample_quality = RESAMPLE_DEFAULT;
  o->atten_lim_db = -1.0f;
  o->inputs = calloc((size_t)argc + 1, sizeof *o->inputs);
  o->cmdline = join_args(argc, argv);
  if (!o->inputs || !o->cmdline) {
    fprintf(stderr, "percepnet: out of memory\n");
    return PARSE_USAGE_ERROR;
  }
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const OptSpec *sp = NULL;
    const char *value = NULL;
    size_t k;
    if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
      o->inputs[o->n_inputs++] = a;
      continue;
    }
    if (!strcmp(a, "--")) {
      only_inputs = 1;
      continue;
    }
    if (a[1] == '-') {
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
      for (k = 0; k < N_SPECS; k++)
        if (strlen(specs[k].name) == len && !strncmp(specs[k].name, a + 2, len)) sp = &specs[k];
      if (!sp) {
        fprintf(stderr, "percepnet: unknown option '%s' (try 'percepnet --help')\n", a);
        return PARSE_USAGE_ERROR;
      }
      if (eq) {
        if (!sp->has_value) {
          fprintf(stderr, "percepnet: %.*s takes no value\n", (int)(eq - a), a);
          return PARSE_USAGE_ERROR;
        }
        value = eq + 1;
      }
      rc = take(o, sp, a, value, argc, argv, &i);
      if (rc != PARSE_RUN) return rc;
      continue;
    }
    /* a cluster of short options, as getopt reads it: "-fq" is -f -q; the
     * first letter that takes a value takes the rest ("-j4", "-fj4") or the
     * next word */
    for (p = a + 1; *p; p++) {
      char shown[3] = {'-', *p, '\0'};
      sp = NULL;
      for (k = 0; k < N_SPECS; k++)
        if (specs[k].letter == *p) sp = &specs[k];
      if (!sp) {
        fprintf(stderr, "percepnet: unknown option '%s'%s%s%s (try 'percepnet --help')\n", shown,
                a[2] ? " in '" : "", a[2] ? a : "", a[2] ? "'" : "");
        return PARSE_USAGE_ERROR;
      }
      rc = take(o, sp, shown, sp->has_value && p[1] ? p + 1 : NULL, argc, argv, &i);
      if (rc != PARSE_RUN) return rc;
      if (sp->has_value) break;
    }
  }
  if (o->files_from && !o->show_version && add_listed_inputs(o)) return PARSE_USAGE_ERROR;
  if (check(o)) return PARSE_USAGE_ERROR;
  return PARSE_RUN;
}

void options_free(CliOptions *o) {
  free((void *)o->inputs);
  free((void *)o->cmdline);
  file_list_free(&o->listed);
  o->inputs = NULL;
  o->cmdline = NULL;
}
