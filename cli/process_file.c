/*
 * process_file.c - one file through the whole chain:
 *
 *   read (fs_in) -> [libsamplerate -> 48 kHz] -> core, delay dropped
 *   -> [libsamplerate -> fs_out] -> exactly N_out frames -> write
 *
 * The converters add no delay on the timeline (resampler.h) and
 * denoise_stream drops the core's delay, so output frame k is aligned with
 * input frame k; the last converter's output is cut or zero-padded to
 * N_out = N_in * fs_out / fs_in (rounded) frames, N_in when the rate is kept.
 */
#include "process_file.h"

#include "audio_in.h"
#include "audio_out.h"
#include "denoise_stream.h"
#include "dumps.h"
#include "formats.h"
#include "frame_fifo.h"
#include "gain_stats.h"
#include "interrupt.h"
#include "messages.h"
#include "output_name.h"
#include "report.h"
#include "resampler.h"
#include "vad_labels.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define READ_FRAMES 4096 /* frames per read; 93 ms at 44.1 kHz */
#define SIDE_PATH_LEN 4096 /* bytes per side-file path, with the NUL */
#define ERR_LEN 512

typedef struct {
  const RunContext *run;
  const CliOptions *opt;
  FileResult *res;
  AudioIn in, clean_in;
  AudioOut out, resid;
  int has_in, has_clean, has_out, has_resid;
  Resampler up, up_clean, down;
  int use_up, use_down, has_ds;
  DenoiseStream ds;
  Dump dump_gains, dump_pitch;
  int has_dump_gains, has_dump_pitch;
  VadLabels labels;
  int has_labels;
  GainStats stats;
  long long out_limit;  /* N_out once known, LLONG_MAX before */
  long long written;    /* frames written so far */
  FrameFifo pending;    /* --residual: input frames not yet matched by output */
  float *rbuf;          /* residual chunk */
  double in_sum_sq;
  float in_peak;
  int sink_failed;
  char err[ERR_LEN];
  const char *err_file; /* file the error is about */
  char resid_path[SIDE_PATH_LEN], gains_path[SIDE_PATH_LEN], pitch_path[SIDE_PATH_LEN],
      labels_path[SIDE_PATH_LEN];
} Job;

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

int run_is_an_input(const RunContext *run, const char *path) {
  struct stat sb;
  int i;
  if (!strcmp(path, "-") || stat(path, &sb) != 0) return 0;
  for (i = 0; i < run->n_input_ids; i++)
    if (run->input_dev[i] == sb.st_dev && run->input_ino[i] == sb.st_ino) return 1;
  return 0;
}

/* 1 for an existing regular file (or directory): what -f/-n are about. A
 * device or FIFO (-o /dev/null) is written in place, never replaced. */
static int exists(const char *path) {
  struct stat sb;
  return strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
         (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode));
}

static int is_dir(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* ---- the output end: cut to N_out, write output and residual ---- */

static int write_residual(Job *j, const float *y, long n) {
  const long ch = j->in.info.channels;
  long done = 0;
  while (done < n) {
    long k = n - done < READ_FRAMES ? n - done : READ_FRAMES, i;
    int c;
    for (i = 0; i < k; i++) {
      /* the queue lags the output by at most the chain's latency; an input
       * frame missing here would mean output ran ahead of input */
      const float *x;
      assert(j->pending.count > 0);
      x = frame_fifo_front(&j->pending);
      for (c = 0; c < ch; c++)
        j->rbuf[i * ch + c] = x[c] - audio_out_as_written(&j->out, y[(done + i) * ch + c]);
      frame_fifo_pop(&j->pending);
    }
    if (audio_out_write(&j->resid, j->rbuf, k, j->err, sizeof j->err)) return -1;
    done += k;
  }
  return 0;
}

/* ResampleSink at the output rate. */
static int write_out(void *ctx, const float *y, long n) {
  Job *j = ctx;
  long long room = j->out_limit - j->written;
  if (n > room) n = (long)room;
  if (n <= 0) return 0;
  if (audio_out_write(&j->out, y, n, j->err, sizeof j->err)) {
    j->err_file = j->res->output;
    j->sink_failed = 1;
    return -1;
  }
  if (j->has_resid && write_residual(j, y, n)) {
    j->err_file = j->resid_path;
    j->sink_failed = 1;
    return -1;
  }
  j->written += n;
  return 0;
}

/* ResampleSink at 48 kHz after the core. */
static int core_out(void *ctx, const float *y, long n) {
  Job *j = ctx;
  if (j->use_down) return resampler_push(&j->down, y, n, 0, write_out, j);
  return write_out(j, y, n);
}

static void on_frame(void *ctx, long long frame, double time_s, PercepnetState *const *st,
                     int channels) {
  Job *j = ctx;
  float vad = 0.0f;
  int c;
  for (c = 0; c < channels; c++) {
    PercepnetFrameInfo fi;
    if (percepnet_get_frame_info(st[c], &fi) != PERCEPNET_OK) continue;
    gain_stats_add(&j->stats, &fi);
    if (fi.vad > vad) vad = fi.vad;
    if (j->has_dump_gains) dump_row(&j->dump_gains, frame, time_s, c, &fi);
    if (j->has_dump_pitch) dump_row(&j->dump_pitch, frame, time_s, c, &fi);
  }
  if (j->has_labels)
    vad_labels_frame(&j->labels, time_s, (double)PERCEPNET_FRAME_SIZE / PERCEPNET_SAMPLE_RATE, vad);
}

/* ---- setup ---- */

static void make_preamble(const Job *j, char *buf, size_t len) {
  const CliOptions *o = j->opt;
  snprintf(buf, len,
           "percepnet %s\nmodel %s\ninput %s\n%s%s%sinput_rate %d Hz, channels %d\n"
           "frame 480 samples at 48000 Hz (10 ms); time_s = frame start on the input timeline, "
           "delay-compensated (core delay %d samples at 48 kHz)\noptions %s",
           percepnet_version(), percepnet_model_id(j->run->model), j->in.name,
           j->has_clean ? "clean " : "", j->has_clean ? j->clean_in.name : "",
           j->has_clean ? "\n" : "", j->in.info.samplerate, j->in.info.channels, j->ds.delay,
           o->cmdline);
}

static int open_sidecars(Job *j, const char *input) {
  const CliOptions *o = j->opt;
  char pre[8192];
  int force = o->overwrite == OVERWRITE_FORCE;
  struct { const char *pattern; char *path; } list[4] = {
      {o->residual, j->resid_path}, {o->dump_gains, j->gains_path},
      {o->dump_pitch, j->pitch_path}, {o->vad_labels, j->labels_path}};
  int i;
  for (i = 0; i < 4; i++) {
    if (!list[i].pattern) continue;
    sidecar_path(list[i].pattern, input, list[i].path, SIDE_PATH_LEN);
    j->err_file = list[i].path;
    if (run_is_an_input(j->run, list[i].path) || !strcmp(list[i].path, j->res->output)) {
      snprintf(j->err, sizeof j->err, "refusing to write onto an input or the output");
      return -1;
    }
    if (!force && exists(list[i].path)) {
      snprintf(j->err, sizeof j->err, "exists (use -f to overwrite or -n to skip)");
      return -1;
    }
  }
  make_preamble(j, pre, sizeof pre);
  if (o->residual) {
    j->err_file = j->resid_path;
    if (j->out.info.samplerate != j->in.info.samplerate) {
      snprintf(j->err, sizeof j->err, "--residual needs the output at the input's rate");
      return -1;
    }
    if (!strcmp(j->resid_path, "-")) {
      snprintf(j->err, sizeof j->err, "--residual cannot go to stdout");
      return -1;
    }
    if (audio_out_open(&j->resid, j->resid_path, j->out.info.format, j->out.info.samplerate,
                       j->out.info.channels, force, 0, j->err, sizeof j->err))
      return -1;
    j->has_resid = 1;
    frame_fifo_init(&j->pending, j->in.info.channels);
    j->rbuf = malloc(sizeof *j->rbuf * READ_FRAMES * (size_t)j->in.info.channels);
    if (!j->rbuf) {
      snprintf(j->err, sizeof j->err, "out of memory");
      return -1;
    }
  }
  if (o->dump_gains) {
    j->err_file = j->gains_path;
    if (dump_open(&j->dump_gains, j->gains_path, DUMP_GAINS, pre, force, j->err, sizeof j->err))
      return -1;
    j->has_dump_gains = 1;
  }
  if (o->dump_pitch) {
    j->err_file = j->pitch_path;
    if (dump_open(&j->dump_pitch, j->pitch_path, DUMP_PITCH, pre, force, j->err, sizeof j->err))
      return -1;
    j->has_dump_pitch = 1;
  }
  if (o->vad_labels) {
    j->err_file = j->labels_path;
    if (vad_labels_open(&j->labels, j->labels_path, j->err, sizeof j->err)) return -1;
    j->has_labels = 1;
  }
  return 0;
}

/* Opens the inputs, decides and opens the output. Returns FILE_OK, FILE_SKIPPED
 * or FILE_FAILED. */
static int open_files(Job *j, const FileJob *fj) {
  const CliOptions *o = j->opt;
  int major = 0, codec = 0, fmt, out_rate;
  const char *type_ext = NULL;
  char tag[160];
  j->err_file = fj->input;
  if (audio_in_open(&j->in, fj->input, &o->raw, j->err, sizeof j->err)) return FILE_FAILED;
  j->has_in = 1;
  if (fj->clean) {
    j->err_file = fj->clean;
    if (audio_in_open(&j->clean_in, fj->clean, &o->raw, j->err, sizeof j->err)) return FILE_FAILED;
    j->has_clean = 1;
    if (j->clean_in.info.samplerate != j->in.info.samplerate ||
        j->clean_in.info.channels != j->in.info.channels) {
      snprintf(j->err, sizeof j->err, "clean and noisy differ in rate or channels (%d Hz %d ch vs %d Hz %d ch)",
               j->clean_in.info.samplerate, j->clean_in.info.channels, j->in.info.samplerate,
               j->in.info.channels);
      return FILE_FAILED;
    }
  }
  j->err_file = fj->input;
  if (o->out_type) {
    major = format_from_name(o->out_type, &codec);
    if (!major) {
      snprintf(j->err, sizeof j->err, "unknown output type '%s'", o->out_type);
      return FILE_FAILED;
    }
    type_ext = format_extension(major | codec);
  }
  if (output_name(o, fj->input, type_ext, format_extension(j->in.info.format), j->res->output,
                  sizeof j->res->output)) {
    snprintf(j->err, sizeof j->err, "reading stdin needs -o FILE (or -o - for stdout)");
    return FILE_FAILED;
  }
  if (!major && strcmp(j->res->output, "-") != 0) major = format_from_path(j->res->output, &codec);
  /* ".wav" names both WAV and WAVE_FORMAT_EXTENSIBLE: keep the input's */
  if (major == SF_FORMAT_WAV && (j->in.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAVEX)
    major = SF_FORMAT_WAVEX;
  j->err_file = j->res->output;
  if (run_is_an_input(j->run, j->res->output)) {
    snprintf(j->err, sizeof j->err, "refusing to write onto an input");
    return FILE_FAILED;
  }
  if (is_dir(j->res->output)) {
    snprintf(j->err, sizeof j->err, "is a directory (use -O DIR for an output directory)");
    return FILE_FAILED;
  }
  if (exists(j->res->output)) {
    if (o->overwrite == OVERWRITE_SKIP) return FILE_SKIPPED;
    if (o->overwrite != OVERWRITE_FORCE) {
      snprintf(j->err, sizeof j->err, "exists (use -f to overwrite or -n to skip)");
      return FILE_FAILED;
    }
  }
  out_rate = o->out_rate ? o->out_rate : j->in.info.samplerate;
  if (format_choose(j->in.info.format, major, codec, o->out_bits, o->out_encoding,
                    j->in.info.channels, out_rate, &fmt, j->err, sizeof j->err))
    return FILE_FAILED;
  if (audio_out_open(&j->out, j->res->output, fmt, out_rate, j->in.info.channels,
                     o->overwrite == OVERWRITE_FORCE, o->md5 || o->manifest, j->err, sizeof j->err))
    return FILE_FAILED;
  j->has_out = 1;
  snprintf(tag, sizeof tag, "percepnet %s, model %s", percepnet_version(),
           percepnet_model_id(j->run->model));
  audio_out_tags(&j->out, j->in.sf, o->no_tag ? NULL : tag);
  return FILE_OK;
}

static int init_chain(Job *j) {
  const CliOptions *o = j->opt;
  const int ch = j->in.info.channels, fs_in = j->in.info.samplerate,
            fs_out = j->out.info.samplerate;
  j->err_file = j->in.name;
  j->use_up = fs_in != PERCEPNET_SAMPLE_RATE;
  j->use_down = fs_out != PERCEPNET_SAMPLE_RATE;
  if (j->use_up && resampler_init(&j->up, fs_in, PERCEPNET_SAMPLE_RATE, ch, o->resample_quality,
                                  j->err, sizeof j->err))
    return -1;
  if (j->use_up && j->has_clean &&
      resampler_init(&j->up_clean, fs_in, PERCEPNET_SAMPLE_RATE, ch, o->resample_quality, j->err,
                     sizeof j->err))
    return -1;
  if (j->use_down && resampler_init(&j->down, PERCEPNET_SAMPLE_RATE, fs_out, ch,
                                    o->resample_quality, j->err, sizeof j->err))
    return -1;
  if (ds_init(&j->ds, j->run->model, ch, o->channels_mode == CHANNELS_LINKED, j->has_clean,
              o->oracle_comb, j->run->cpu, o->atten_lim_db, core_out, j, on_frame, j, j->err,
              sizeof j->err))
    return -1;
  ds_set_preroll(&j->ds, !o->no_preroll);
  j->has_ds = 1;
  return 0;
}

static void cleanup(Job *j, int failed) {
  if (j->has_ds) ds_free(&j->ds);
  if (j->use_up) resampler_free(&j->up);
  if (j->use_up && j->has_clean) resampler_free(&j->up_clean);
  if (j->use_down) resampler_free(&j->down);
  if (failed) {
    if (j->has_out) audio_out_abort(&j->out);
    if (j->has_resid) audio_out_abort(&j->resid);
    if (j->has_dump_gains) dump_abort(&j->dump_gains);
    if (j->has_dump_pitch) dump_abort(&j->dump_pitch);
    if (j->has_labels) vad_labels_abort(&j->labels);
  }
  if (j->has_in) audio_in_close(&j->in);
  if (j->has_clean) audio_in_close(&j->clean_in);
  frame_fifo_free(&j->pending);
  free(j->rbuf);
}

static double dbfs(double v) { return v > 0.0 ? 20.0 * log10(v) : -INFINITY; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reads, converts and denoises everything; returns 0 or -1 + j->err. */
static int run_chain(Job *j, long long *n_in) {
  const int ch = j->in.info.channels, fs_in = j->in.info.samplerate,
            fs_out = j->out.info.samplerate;
  const long long total_hint = j->in.info.frames > 0 && j->in.info.frames < (1LL << 40)
                                   ? (long long)j->in.info.frames : 0;
  float *buf = malloc(sizeof *buf * READ_FRAMES * (size_t)ch);
  float *cbuf = j->has_clean ? malloc(sizeof *cbuf * READ_FRAMES * (size_t)ch) : NULL;
  double t0 = now_s();
  long long n = 0, total48, n_out;
  long k;
  size_t i;
  int rc = -1;
  if (!buf || (j->has_clean && !cbuf)) {
    snprintf(j->err, sizeof j->err, "out of memory");
    goto done;
  }
  j->out_limit = LLONG_MAX;
  for (;;) {
    k = audio_in_read(&j->in, buf, READ_FRAMES, j->err, sizeof j->err);
    if (k < 0) goto done;
    if (j->has_clean) {
      long kc = audio_in_read(&j->clean_in, cbuf, READ_FRAMES, j->err, sizeof j->err);
      if (kc < 0) {
        j->err_file = j->clean_in.name;
        goto done;
      }
      if (kc != k) {
        snprintf(j->err, sizeof j->err, "clean and noisy differ in length");
        goto done;
      }
    }
    if (k == 0) break;
    if (interrupt_signal()) {
      snprintf(j->err, sizeof j->err, "interrupted");
      goto done;
    }
    n += k;
    for (i = 0; i < (size_t)k * (size_t)ch; i++) {
      float a = fabsf(buf[i]);
      j->in_sum_sq += (double)buf[i] * (double)buf[i];
      if (a > j->in_peak) j->in_peak = a;
    }
    if (j->has_resid && frame_fifo_push(&j->pending, buf, k)) {
      snprintf(j->err, sizeof j->err, "out of memory");
      goto done;
    }
    if (j->use_up) {
      if (j->has_clean && resampler_push(&j->up_clean, cbuf, k, 0, ds_push_clean, &j->ds)) goto chain_failed;
      if (resampler_push(&j->up, buf, k, 0, ds_push, &j->ds)) goto chain_failed;
    } else {
      if (j->has_clean && ds_push_clean(&j->ds, cbuf, k)) goto chain_failed;
      if (ds_push(&j->ds, buf, k)) goto chain_failed;
    }
    if (total_hint) {
      double el = now_s() - t0;
      msg_progress(j->in.name, (double)n / (double)total_hint,
                   el > 0 ? (double)n / fs_in / el : 0.0);
    }
  }
  if (n == 0) {
    snprintf(j->err, sizeof j->err, "no audio in the file (zero length)");
    goto done;
  }
  n_out = fs_out == fs_in ? n : llround((double)n * fs_out / fs_in);
  j->out_limit = n_out;
  if (j->use_up) {
    if (j->has_clean && resampler_push(&j->up_clean, NULL, 0, 1, ds_push_clean, &j->ds)) goto chain_failed;
    if (resampler_push(&j->up, NULL, 0, 1, ds_push, &j->ds)) goto chain_failed;
    total48 = j->up.frames_out;
  } else {
    total48 = n;
  }
  if (ds_finish(&j->ds, total48)) goto chain_failed;
  if (j->use_down && resampler_push(&j->down, NULL, 0, 1, write_out, j)) goto chain_failed;
  if (j->written < n_out) {
    /* the converter's last output frame can fall one short of N_out */
    memset(buf, 0, sizeof *buf * READ_FRAMES * (size_t)ch);
    while (j->written < n_out) {
      long pad = n_out - j->written < READ_FRAMES ? (long)(n_out - j->written) : READ_FRAMES;
      if (write_out(j, buf, pad)) goto chain_failed;
    }
  }
  assert(j->written == n_out);
  *n_in = n;
  rc = 0;
  goto done;
chain_failed:
  if (!j->sink_failed) {
    j->err_file = j->in.name;
    snprintf(j->err, sizeof j->err, "processing failed (denoiser or resampler error)");
  }
done:
  msg_progress_end();
  free(buf);
  free(cbuf);
  return rc;
}

static int finish_outputs(Job *j) {
  int force = j->opt->overwrite == OVERWRITE_FORCE;
  double duration = (double)j->written / j->out.info.samplerate;
  if (j->has_dump_gains) {
    j->err_file = j->gains_path;
    j->has_dump_gains = 0;
    if (dump_finish(&j->dump_gains, force, j->err, sizeof j->err)) return -1;
  }
  if (j->has_dump_pitch) {
    j->err_file = j->pitch_path;
    j->has_dump_pitch = 0;
    if (dump_finish(&j->dump_pitch, force, j->err, sizeof j->err)) return -1;
  }
  if (j->has_labels) {
    j->err_file = j->labels_path;
    j->has_labels = 0;
    if (vad_labels_finish(&j->labels, duration, force, j->err, sizeof j->err)) return -1;
  }
  if (j->has_resid) {
    j->err_file = j->resid_path;
    j->has_resid = 0;
    if (audio_out_finish(&j->resid, NULL, j->err, sizeof j->err)) return -1;
  }
  j->err_file = j->res->output;
  j->has_out = 0;
  return audio_out_finish(&j->out, j->res->md5, j->err, sizeof j->err);
}

void process_file(const RunContext *run, const FileJob *fj, FileResult *res) {
  Job *j = calloc(1, sizeof *j);
  const CliOptions *o = run->opt;
  ReportData rd;
  long long n_in = 0, clipped = 0;
  double t0 = now_s(), wall, out_sum_sq = 0.0;
  float out_peak = 0.0f;
  char in_desc[96] = "", out_desc[96] = "";
  int status;
  memset(res, 0, sizeof *res);
  if (!j) {
    msg_error(fj->input, "out of memory");
    res->status = FILE_FAILED;
    return;
  }
  j->run = run;
  j->opt = o;
  j->res = res;
  j->in.name = fj->input;
  status = open_files(j, fj);
  if (status == FILE_OK && (init_chain(j) || open_sidecars(j, fj->input))) status = FILE_FAILED;
  if (status == FILE_OK) {
    format_describe(j->in.info.format, in_desc, sizeof in_desc);
    format_describe(j->out.info.format, out_desc, sizeof out_desc);
    msg_info(2, fj->input, "%d Hz, %d channel%s, %s -> %s: %d Hz, %s; resampling %s (%s); "
             "core delay %d samples at 48 kHz (%.1f ms), compensated",
             j->in.info.samplerate, j->in.info.channels, j->in.info.channels > 1 ? "s" : "",
             in_desc, res->output, j->out.info.samplerate, out_desc,
             j->use_up && j->use_down ? "to 48 kHz and back" : j->use_up ? "to 48 kHz" :
             j->use_down ? "from 48 kHz" : "none", options_quality_name(o->resample_quality),
             j->ds.delay, j->ds.delay / 48.0);
    if (run_chain(j, &n_in) || finish_outputs(j)) status = FILE_FAILED;
    clipped = j->out.clipped;
    out_sum_sq = j->out.sum_sq;
    out_peak = j->out.peak;
  }
  wall = now_s() - t0;
  if (status == FILE_FAILED) msg_error(j->err_file, "%s", j->err);
  if (status == FILE_SKIPPED) msg_info(2, res->output, "exists, skipped (-n)");
  if (status == FILE_OK) {
    if (j->in.nonfinite) msg_warn(fj->input, "%lld NaN/Inf samples replaced by 0", j->in.nonfinite);
    if (j->has_clean && j->clean_in.nonfinite)
      msg_warn(fj->clean, "%lld NaN/Inf samples replaced by 0", j->clean_in.nonfinite);
    if (clipped) msg_warn(res->output, "%lld samples clipped to full scale", clipped);
  }
  res->status = status;
  memset(&rd, 0, sizeof rd);
  rd.input = fj->input;
  rd.clean = fj->clean;
  rd.output = res->output[0] ? res->output : NULL;
  rd.status = status == FILE_OK ? "ok" : status == FILE_SKIPPED ? "skipped" : "failed";
  rd.error = status == FILE_FAILED ? j->err : NULL;
  rd.model_id = percepnet_model_id(run->model);
  rd.version = percepnet_version();
  rd.cpu = percepnet_cpu_name(run->cpu >= 0 ? run->cpu : percepnet_cpu_detect());
  rd.opt = o;
  if (status == FILE_OK) {
    const int ch = j->in.info.channels;
    rd.duration_s = (double)n_in / j->in.info.samplerate;
    rd.input_rate = j->in.info.samplerate;
    rd.output_rate = j->out.info.samplerate;
    rd.channels = ch;
    rd.frames_in = n_in;
    rd.frames_out = j->written;
    rd.input_format = in_desc;
    rd.output_format = out_desc;
    rd.resampled_in = j->use_up;
    rd.resampled_out = j->use_down;
    rd.resample_quality = options_quality_name(o->resample_quality);
    rd.delay_samples = j->ds.delay;
    rd.speed = wall > 0 ? rd.duration_s / wall : 0.0;
    rd.gain_mean_db = gain_stats_mean_db(&j->stats);
    rd.gain_p10_db = gain_stats_percentile_db(&j->stats, 10.0);
    rd.speech_share = gain_stats_speech_share(&j->stats);
    rd.frames_analysed = j->stats.rows;
    rd.input_rms_dbfs = dbfs(sqrt(j->in_sum_sq / ((double)n_in * ch)));
    rd.input_peak_dbfs = dbfs(j->in_peak);
    rd.output_rms_dbfs = dbfs(sqrt(out_sum_sq / ((double)j->written * ch)));
    rd.output_peak_dbfs = dbfs(out_peak);
    rd.clipped = clipped;
    rd.nonfinite = j->in.nonfinite;
    rd.md5 = o->md5 ? res->md5 : NULL;
    msg_info(2, fj->input, "%.2f s -> %s, %.1fx real time, mean gain %.1f dB, 10%% gain %.1f dB, "
             "speech %.0f%%, in %.1f dBFS, out %.1f dBFS, clipped %lld",
             rd.duration_s, res->output, rd.speed, rd.gain_mean_db, rd.gain_p10_db,
             100.0 * rd.speech_share, rd.input_rms_dbfs, rd.output_rms_dbfs, clipped);
  }
  if (o->report) res->report = report_json(&rd);
  cleanup(j, status == FILE_FAILED);
  free(j);
}
