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

static void str(Buf *b, const char *key, const char *v) {
  const unsigned char *p;
  if (key) put(b, "\"%s\": ", key);
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

static void num(Buf *b, const char *key, double v) {
  put(b, "\"%s\": ", key);
  if (isfinite(v)) put(b, "%.9g", v);
  else put(b, "null");
}

static void options_json(Buf *b, const CliOptions *o) {
  static const char *enc[] = {NULL, "signed", "unsigned", "float"};
  put(b, "{");
  str(b, "command_line", o->cmdline);
  put(b, ", ");
  num(b, "atten_lim_db", o->atten_lim_db);
  put(b, ", ");
  str(b, "channels", o->channels_mode == CHANNELS_LINKED ? "linked" : "independent");
  put(b, ", ");
  str(b, "resample_quality", options_quality_name(o->resample_quality));
  put(b, ", ");
  str(b, "type", o->out_type);
  put(b, ", ");
  num(b, "rate", o->out_rate);
  put(b, ", ");
  num(b, "bits", o->out_bits);
  put(b, ", ");
  str(b, "encoding", enc[o->out_encoding]);
  put(b, ", ");
  str(b, "model", o->model_path);
  put(b, ", \"oracle\": %s, \"oracle_comb\": %s, \"preroll\": %s, \"jobs\": %d, "
      "\"md5\": %s, \"tag\": %s, ",
      o->oracle ? "true" : "false", o->oracle_comb ? "true" : "false",
      o->no_preroll ? "false" : "true", o->jobs, o->md5 ? "true" : "false",
      o->no_tag ? "false" : "true");
  str(b, "overwrite", o->overwrite == OVERWRITE_FORCE ? "force" :
                      o->overwrite == OVERWRITE_SKIP ? "skip" : "refuse");
  put(b, ", ");
  str(b, "residual", o->residual);
  put(b, ", ");
  str(b, "dump_gains", o->dump_gains);
  put(b, ", ");
  str(b, "dump_pitch", o->dump_pitch);
  put(b, ", ");
  str(b, "vad_labels", o->vad_labels);
  put(b, "}");
}

char *report_json(const ReportData *r) {
  Buf b = {NULL, 0, 0, 0};
  b.cap = 2048;
  b.s = malloc(b.cap);
  if (!b.s) return NULL;
  put(&b, "{");
  str(&b, "input", r->input);
  put(&b, ", ");
  if (r->clean) {
    str(&b, "clean", r->clean);
    put(&b, ", ");
  }
  str(&b, "output", r->output);
  put(&b, ", ");
  str(&b, "status", r->status);
  put(&b, ", ");
  str(&b, "error", r->error);
  if (!strcmp(r->status, "ok")) {
    put(&b, ", ");
    num(&b, "duration_s", r->duration_s);
    put(&b, ", ");
    num(&b, "input_rate", r->input_rate);
    put(&b, ", ");
    num(&b, "output_rate", r->output_rate);
    put(&b, ", ");
    num(&b, "channels", r->channels);
    put(&b, ", \"frames_in\": %lld, \"frames_out\": %lld, ", r->frames_in, r->frames_out);
    str(&b, "input_format", r->input_format);
    put(&b, ", ");
    str(&b, "output_format", r->output_format);
    put(&b, ", \"resampling\": {\"to_48k\": %s, \"from_48k\": %s, ",
        r->resampled_in ? "true" : "false", r->resampled_out ? "true" : "false");
    str(&b, "quality", r->resample_quality);
    put(&b, "}, ");
    num(&b, "delay_samples_48k", r->delay_samples);
    put(&b, ", ");
    num(&b, "delay_ms", r->delay_samples / 48.0);
    put(&b, ", ");
    num(&b, "speed_x_realtime", r->speed);
    put(&b, ", ");
    num(&b, "gain_mean_db", r->gain_mean_db);
    put(&b, ", ");
    num(&b, "gain_p10_db", r->gain_p10_db);
    put(&b, ", ");
    num(&b, "speech_share", r->speech_share);
    put(&b, ", \"frames_analysed\": %lld, ", r->frames_analysed);
    num(&b, "input_rms_dbfs", r->input_rms_dbfs);
    put(&b, ", ");
    num(&b, "input_peak_dbfs", r->input_peak_dbfs);
    put(&b, ", ");
    num(&b, "output_rms_dbfs", r->output_rms_dbfs);
    put(&b, ", ");
    num(&b, "output_peak_dbfs", r->output_peak_dbfs);
    put(&b, ", \"clipped_samples\": %lld, \"nonfinite_samples\": %lld, ", r->clipped, r->nonfinite);
    str(&b, "md5", r->md5);
  }
  put(&b, ", ");
  str(&b, "model_id", r->model_id);
  put(&b, ", ");
  str(&b, "version", r->version);
  put(&b, ", ");
  str(&b, "cpu", r->cpu);
  put(&b, ", \"options\": ");
  options_json(&b, r->opt);
  put(&b, "}");
  if (b.fail) {
    free(b.s);
    return NULL;
  }
  return b.s;
}
