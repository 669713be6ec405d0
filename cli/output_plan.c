/*
 * output_plan.c - see output_plan.h. Paths are compared by a canonical
 * form: the real path of an existing file, else the real path of its
 * directory plus its base name, so "x.wav", "./x.wav" and "d/../x.wav" are
 * one file.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "output_plan.h"

#include "audio_in.h"
#include "formats.h"
#include "output_name.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_LEN 4096 /* bytes per planned path, with the NUL */

typedef struct {
  dev_t dev;
  ino_t ino;
} FileId;

typedef struct {
  char *canon;   /* canonical path */
  int job;       /* -1 = the report */
  int kind;      /* OUT_* */
} Entry;

const char *plan_role(int kind) {
  static const char *roles[OUT_KINDS] = {"output", "residual", "gain dump", "gain dump columns",
                                         "pitch dump", "pitch dump columns", "VAD labels",
                                         "report"};
  return roles[kind];
}

void sidecar_path(const char *pattern, const char *input, char *out, unsigned long len) {
  const char *hole = strstr(pattern, "{}");
  const char *slash = strrchr(input, '/'), *base = slash ? slash + 1 : input;
  const char *dot = strrchr(base, '.');
  int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
  if (!strcmp(input, "-")) {
    base = "stdin";
    stem = 5;
  }
  if (!hole) snprintf(out, len, "%s", pattern);
  else snprintf(out, len, "%.*s%.*s%s", (int)(hole - pattern), pattern, stem, base, hole + 2);
}

static char *canonical(const char *path) {
  char *r = realpath(path, NULL), *dir, *slash, *out;
  const char *base;
  if (r) return r;
  dir = strdup(path);
  if (!dir) return NULL;
  slash = strrchr(dir, '/');
  if (slash) {
    *slash = '\0';
    base = path + (slash - dir) + 1;
    r = realpath(slash == dir ? "/" : dir, NULL);
  } else {
    base = path;
    r = realpath(".", NULL);
  }
  free(dir);
  if (!r) return strdup(path);
  out = malloc(strlen(r) + strlen(base) + 2);
  if (out) sprintf(out, "%s/%s", strcmp(r, "/") ? r : "", base);
  free(r);
  return out;
}

/* 1 for an existing device, FIFO or socket: written in place, never replaced. */
static int is_special(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

static int is_an_input(const RunPlan *rp, const char *path) {
  const FileId *ids = rp->input_ids;
  struct stat sb;
  int i;
  if (stat(path, &sb) != 0) return 0;
  for (i = 0; i < rp->n_inputs; i++)
    if (ids[i].dev == sb.st_dev && ids[i].ino == sb.st_ino) return 1;
  return 0;
}

/* Checks one planned file of a job; 0 or -1 with the job refused. */
static int check_file(const CliOptions *o, const RunPlan *rp, OutputPlan *p, const char *path) {
  struct stat sb;
  if (!strcmp(path, "-")) return 0;
  if (stat(path, &sb) != 0) return 0;
  if (S_ISDIR(sb.st_mode))
    return fault_set(&p->why, path, "is a directory%s",
                     path == p->path[OUT_AUDIO] ? " (use -O DIR for an output directory)" : "");
  if (is_an_input(rp, path)) return fault_set(&p->why, path, "refusing to write onto an input");
  if (S_ISREG(sb.st_mode) && o->overwrite != OVERWRITE_FORCE)
    return fault_set(&p->why, path, "exists (use -f to overwrite or -n to skip)");
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && !strcmp(s + a - b, suffix);
}

static int has_extension(const char *path) {
  const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  return dot && dot != base && dot[1];
}

static char *side_name(const char *pattern, const char *input) {
  char buf[PATH_LEN];
  sidecar_path(pattern, input, buf, sizeof buf);
  return strdup(buf);
}

static char *columns_name(const char *npy) {
  char *s = malloc(strlen(npy) + 2);
  if (s) sprintf(s, "%.*s.json", (int)(strlen(npy) - 4), npy);
  return s;
}

/* Names job's files and checks each against the rules that concern it alone. */
static int plan_job(const CliOptions *o, RunPlan *rp, OutputPlan *p, const char *input) {
  char name[PATH_LEN];
  const char *type_ext = NULL, *ext_if_none;
  struct stat sb;
  int k, pipe_in = !strcmp(input, "-") ||
                   (stat(input, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode));
  if (o->out_type) {
    int codec, major = format_from_name(o->out_type, &codec);
    type_ext = format_extension(major | codec);
  }
  ext_if_none = o->raw.enabled ? "raw" : pipe_in ? NULL : audio_in_guess_extension(input);
  if (!o->output && !strcmp(input, "-"))
    return fault_set(&p->why, input, "reading stdin needs -o FILE (or -o - for stdout)");
  if (!o->output && pipe_in && !has_extension(input))
    return fault_set(&p->why, input, "reading a pipe or device without an extension needs -o FILE");
  if (output_name(o, input, type_ext, ext_if_none ? ext_if_none : "wav", name, sizeof name))
    return fault_set(&p->why, input, "cannot name the output; use -o FILE");
  p->path[OUT_AUDIO] = strdup(name);
  if (o->residual) p->path[OUT_RESIDUAL] = side_name(o->residual, input);
  if (o->dump_gains) p->path[OUT_GAINS] = side_name(o->dump_gains, input);
  if (o->dump_pitch) p->path[OUT_PITCH] = side_name(o->dump_pitch, input);
  if (o->vad_labels) p->path[OUT_LABELS] = side_name(o->vad_labels, input);
  if (p->path[OUT_GAINS] && ends_with(p->path[OUT_GAINS], ".npy"))
    p->path[OUT_GAINS_COLUMNS] = columns_name(p->path[OUT_GAINS]);
  if (p->path[OUT_PITCH] && ends_with(p->path[OUT_PITCH], ".npy"))
    p->path[OUT_PITCH_COLUMNS] = columns_name(p->path[OUT_PITCH]);
  if (!p->path[OUT_AUDIO] || (o->residual && !p->path[OUT_RESIDUAL]) ||
      (o->dump_gains && !p->path[OUT_GAINS]) || (o->dump_pitch && !p->path[OUT_PITCH]) ||
      (o->vad_labels && !p->path[OUT_LABELS]))
    return fault_set(&p->why, input, "out of memory");
  if (o->overwrite == OVERWRITE_SKIP && strcmp(name, "-") != 0 && stat(name, &sb) == 0 &&
      S_ISREG(sb.st_mode)) {
    p->status = PLAN_SKIP;
    fault_set(&p->why, name, "exists, skipped (-n)");
    return 0;
  }
  for (k = 0; k < OUT_KINDS; k++)
    if (p->path[k] && check_file(o, rp, p, p->path[k])) return -1;
  return 0;
}

static int by_canon(const void *a, const void *b) {
  const Entry *x = a, *y = b;
  int c = strcmp(x->canon, y->canon);
  return c ? c : x->job != y->job ? (x->job < y->job ? -1 : 1) : x->kind - y->kind;
}

static void describe(char *buf, size_t len, const Entry *e, const char *const *inputs) {
  if (e->job < 0) snprintf(buf, len, "the %s", plan_role(e->kind));
  else snprintf(buf, len, "the %s of %s", plan_role(e->kind), inputs[e->job]);
}

/* -n: an input that is the audio output of another job in this run was
 * made by an earlier run; it is skipped, not denoised again. */
static void skip_earlier_outputs(RunPlan *rp, const char *const *inputs, Entry *audio, int n_audio) {
  int i;
  for (i = 0; i < rp->n_jobs; i++) {
    Entry key, *hit;
    if (rp->jobs[i].status != PLAN_WRITE && rp->jobs[i].status != PLAN_REFUSED) continue;
    if (!strcmp(inputs[i], "-") || !(key.canon = canonical(inputs[i]))) continue;
    key.job = -2;
    key.kind = 0;
    hit = NULL;
    {
      int lo = 0, hi = n_audio;
      while (lo < hi) {
        int mid = (lo + hi) / 2, c = strcmp(audio[mid].canon, key.canon);
        if (c == 0) { hit = &audio[mid]; break; }
        if (c < 0) lo = mid + 1; else hi = mid;
      }
    }
    if (hit && hit->job != i) {
      OutputPlan *p = &rp->jobs[i];
      p->status = PLAN_SKIP;
      p->why.set = 0;
      fault_set(&p->why, inputs[i], "is the output of %s, skipped (-n)", inputs[hit->job]);
    }
    free(key.canon);
  }
}

static int collect(Entry **list, int *n, int *cap, const char *path, int job, int kind) {
  if (!path || !strcmp(path, "-") || is_special(path)) return 0;
  if (*n == *cap) {
    int c = *cap ? 2 * *cap : 64;
    Entry *l = realloc(*list, sizeof *l * (size_t)c);
    if (!l) return -1;
    *list = l;
    *cap = c;
  }
  (*list)[*n].canon = canonical(path);
  (*list)[*n].job = job;
  (*list)[*n].kind = kind;
  if (!(*list)[*n].canon) return -1;
  (*n)++;
  return 0;
}

static int plan_report(const CliOptions *o, RunPlan *rp) {
  struct stat sb;
  if (!o->report || !strcmp(o->report, "-")) return 0;
  rp->run_files.path[OUT_REPORT] = strdup(o->report);
  if (!rp->run_files.path[OUT_REPORT]) return -1;
  if (stat(o->report, &sb) != 0) return 0;
  if (S_ISDIR(sb.st_mode)) {
    fprintf(stderr, "percepnet: %s: the report: is a directory\n", o->report);
    return -1;
  }
  if (is_an_input(rp, o->report)) {
    fprintf(stderr, "percepnet: %s: refusing to write the report onto an input\n", o->report);
    return -1;
  }
  if (!S_ISREG(sb.st_mode) || o->overwrite == OVERWRITE_FORCE) return 0;
  if (o->overwrite == OVERWRITE_SKIP) {
    rp->report_append = 1;
    return 0;
  }
  fprintf(stderr, "percepnet: %s: the report: exists (use -f to overwrite, or -n to add to it)\n",
          o->report);
  return -1;
}

int plan_run(const CliOptions *o, const char *const *inputs, int n_jobs, RunPlan *rp) {
  Entry *all = NULL, *audio = NULL;
  int n_all = 0, cap_all = 0, n_audio = 0, cap_audio = 0, i, k, rc = 0;
  FileId *ids;
  memset(rp, 0, sizeof *rp);
  rp->jobs = calloc((size_t)n_jobs + 1, sizeof *rp->jobs);
  rp->input_ids = ids = calloc((size_t)o->n_inputs + 1, sizeof *ids);
  rp->n_jobs = n_jobs;
  if (!rp->jobs || !ids) goto oom;
  for (i = 0; i < o->n_inputs; i++) {
    struct stat sb;
    if (strcmp(o->inputs[i], "-") != 0 && stat(o->inputs[i], &sb) == 0) {
      ids[rp->n_inputs].dev = sb.st_dev;
      ids[rp->n_inputs++].ino = sb.st_ino;
    }
  }
  if (plan_report(o, rp)) {
    rc = -1;
    goto done;
  }
  for (i = 0; i < n_jobs; i++)
    if (plan_job(o, rp, &rp->jobs[i], inputs[i])) rp->jobs[i].status = PLAN_REFUSED;
  if (o->overwrite == OVERWRITE_SKIP) {
    for (i = 0; i < n_jobs; i++)
      if (collect(&audio, &n_audio, &cap_audio, rp->jobs[i].path[OUT_AUDIO], i, OUT_AUDIO))
        goto oom;
    qsort(audio, (size_t)n_audio, sizeof *audio, by_canon);
    skip_earlier_outputs(rp, inputs, audio, n_audio);
  }
  for (i = 0; i < n_jobs; i++) {
    if (rp->jobs[i].status == PLAN_SKIP) continue;
    for (k = 0; k < OUT_KINDS; k++)
      if (collect(&all, &n_all, &cap_all, rp->jobs[i].path[k], i, k)) goto oom;
  }
  if (collect(&all, &n_all, &cap_all, rp->run_files.path[OUT_REPORT], -1, OUT_REPORT)) goto oom;
  qsort(all, (size_t)n_all, sizeof *all, by_canon);
  for (i = 1; i < n_all; i++) {
    if (!strcmp(all[i - 1].canon, all[i].canon)) {
      char a[PATH_LEN + 64], b[PATH_LEN + 64];
      const char *path = all[i].job >= 0 ? rp->jobs[all[i].job].path[all[i].kind]
                                         : rp->run_files.path[OUT_REPORT];
      describe(a, sizeof a, &all[i - 1], inputs);
      describe(b, sizeof b, &all[i], inputs);
      fprintf(stderr, "percepnet: %s: one path for two outputs (%s and %s)\n", path, a, b);
      rc = -1;
      while (i + 1 < n_all && !strcmp(all[i].canon, all[i + 1].canon)) i++;
    }
  }
  goto done;
oom:
  fprintf(stderr, "percepnet: out of memory\n");
  rc = -1;
done:
  for (i = 0; i < n_all; i++) free(all[i].canon);
  for (i = 0; i < n_audio; i++) free(audio[i].canon);
  free(all);
  free(audio);
  return rc;
}

int plan_is_an_input(const RunPlan *rp, const char *path) { return is_an_input(rp, path); }

int plan_is_an_output(const RunPlan *rp, const char *path) {
  char *want = canonical(path), *have;
  int i, k, hit = 0;
  if (!want) return 0;
  for (i = -1; i < rp->n_jobs && !hit; i++) {
    const OutputPlan *p = i < 0 ? &rp->run_files : &rp->jobs[i];
    if (i >= 0 && p->status == PLAN_SKIP) continue;
    for (k = 0; k < OUT_KINDS && !hit; k++) {
      if (!p->path[k] || !strcmp(p->path[k], "-")) continue;
      have = canonical(p->path[k]);
      hit = have && !strcmp(have, want);
      free(have);
    }
  }
  free(want);
  return hit;
}

void plan_free(RunPlan *rp) {
  int i, k;
  for (i = 0; rp->jobs && i < rp->n_jobs; i++)
    for (k = 0; k < OUT_KINDS; k++) free(rp->jobs[i].path[k]);
  for (k = 0; k < OUT_KINDS; k++) free(rp->run_files.path[k]);
  free(rp->jobs);
  free(rp->input_ids);
  rp->jobs = NULL;
  rp->input_ids = NULL;
}
