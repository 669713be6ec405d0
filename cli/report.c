/*
 * report.c - JSON for --report. Numbers use %.6g / %.9g in the C locale;
 * non-finite numbers (e.g. the level of digital silence) become null.
 */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *s;
  size_t len, cap;
  int fail;
  int first; /* 1 right after "{": the next member needs no ", " before it */
} Buf;

static void put(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(Buf *b, const char *fmt, ...) {
  va_list ap;
  if (b->fail) return;
  for (;;) {
    int n;
    va_start(ap, fmt);
    n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->fail = 1;
      return;
    }
    if ((size_t)n < b->cap - b->len) {
      b->len += (size_t)n;
      return;
    }
    {
      size_t cap = b->cap * 2 + (size_t)n;
      char *s = realloc(b->s, cap);
      if (!s) {
        b->fail = 1;
        return;
      }
      b->s = s;
      b->cap = cap;
    }
  }
}

static void open_object(Buf *b) {
  put(b, "{");
  b->first = 1;
}

static void close_object(Buf *b) {
  put(b, "}");
  b->first = 0;
}

/* The member name, after ", " unless it is the object's first member. */
static void key(Buf *b, const char *name) {
  put(b, b->first ? "\"%s\": " : ", \"%s\": ", name);
  b->first = 0;
}

static void str(Buf *b, const char *name, const char *v) {
  const unsigned char *p;
  key(b, name);
  if (!v) {
    put(b, "null");
    return;
  }
  put(b, "\"");
  for (p = (const unsigned char *)v; *p; p++) {
    if (*p == '"' || *p == '\\') put(b, "\\%c", *p);
    else if (*p == '\n') put(b, "\\n");
    else if (*p == '\t') put(b, "\\t");
    else if (*p < 0x20) put(b, "\\u%04x", *p);
    else put(b, "%c", *p);
  }
  put(b, "\"");
}

static void num(Buf *b, const char *name, double v) {
  key(b, name);
  if (isfinite(v)) put(b, "%.9g", v);
  else put(b, "null");
}

static void count(Buf *b, const char *name, long long v) {
  key(b, name);
  put(b, "%lld", v);
}

static void flag(Buf *b, const char *name, int v) {
  key(b, name);
  put(b, v ? "true" : "false");
}

static void options_json(Buf *b, const CliOptions *o) {
  open_object(b);
  str(b, "command_line", o->cmdline);
  num(b, "atten_lim_db", o->atten_lim_db >= 0.0f ? o->atten_lim_db : NAN);
  str(b, "channels", o->channels_mode == CHANNELS_LINKED ? "linked" : "independent");
  str(b, "resample_quality", options_quality_name(o->resample_quality));
  str(b, "type", o->out_type);
  num(b, "rate", o->out_rate);
  num(b, "bits", o->out_bits);
  str(b, "encoding", options_encoding_name(o->out_encoding));
  str(b, "model", o->model_path);
  flag(b, "oracle", o->oracle);
  flag(b, "oracle_comb", o->oracle_comb);
  flag(b, "preroll", !o->no_preroll);
  count(b, "jobs", o->jobs);
  flag(b, "md5", o->md5);
  flag(b, "tag", !o->no_tag);
  str(b, "overwrite", o->overwrite == OVERWRITE_FORCE ? "force" :
                      o->overwrite == OVERWRITE_SKIP ? "skip" : "refuse");
  str(b, "residual", o->residual);
  str(b, "dump_gains", o->dump_gains);
  str(b, "dump_pitch", o->dump_pitch);
  str(b, "vad_labels", o->vad_labels);
  close_object(b);
}

char *report_json(const ReportData *r) {
  Buf b = {NULL, 0, 0, 0, 0};
  b.cap = 2048;
  b.s = malloc(b.cap);
  if (!b.s) return NULL;
  open_object(&b);
  str(&b, "input", r->input);
  if (r->clean) str(&b, "clean", r->clean);
  str(&b, "output", r->output);
  str(&b, "status", r->status);
  str(&b, "error", r->error);
  if (!strcmp(r->status, "ok")) {
    num(&b, "duration_s", r->duration_s);
    num(&b, "input_rate", r->input_rate);
    num(&b, "output_rate", r->output_rate);
    num(&b, "channels", r->channels);
    count(&b, "frames_in", r->frames_in);
    count(&b, "frames_out", r->frames_out);
    str(&b, "input_format", r->input_format);
    str(&b, "output_format", r->output_format);
    key(&b, "resampling");
    open_object(&b);
    flag(&b, "to_48k", r->resampled_in);
    flag(&b, "from_48k", r->resampled_out);
    str(&b, "quality", r->resample_quality);
    close_object(&b);
    num(&b, "delay_samples_48k", r->delay_samples);
    num(&b, "delay_ms", r->delay_samples / 48.0);
    num(&b, "speed_x_realtime", r->speed);
    num(&b, "gain_mean_db", r->gain_mean_db);
    num(&b, "gain_p10_db", r->gain_p10_db);
    num(&b, "speech_share", r->speech_share);
    count(&b, "frames_analysed", r->frames_analysed);
    num(&b, "input_rms_dbfs", r->input_rms_dbfs);
    num(&b, "input_peak_dbfs", r->input_peak_dbfs);
    num(&b, "output_rms_dbfs", r->output_rms_dbfs);
    num(&b, "output_peak_dbfs", r->output_peak_dbfs);
    count(&b, "clipped_samples", r->clipped);
    count(&b, "nonfinite_samples", r->nonfinite);
    flag(&b, "truncated", r->truncated);
    str(&b, "md5", r->md5);
  }
  str(&b, "model_id", r->model_id);
  str(&b, "version", r->version);
  str(&b, "cpu", r->cpu);
  key(&b, "options");
  options_json(&b, r->opt);
  close_object(&b);
  if (b.fail) {
    free(b.s);
    return NULL;
  }
  return b.s;
}
