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
#include "fault.h"
#include "formats.h"
#include "frame_fifo.h"
#include "gain_stats.h"
#include "interrupt.h"
#include "messages.h"
#include "output_set.h"
#include "report.h"
#include "resampler.h"
#include "vad_labels.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define READ_FRAMES 4096 /* frames per read; 93 ms at 44.1 kHz */
#define ERR_LEN FAULT_REASON_LEN

typedef struct {
  const RunContext *run;
  const CliOptions *opt;
  const OutputPlan *plan;
  FileResult *res;
  Fault fault;          /* the first failure, naming its file */
  OutputSet files;      /* every file this job writes */
  AudioIn in, clean_in;
  AudioOut out, resid;
  int has_in, has_clean, has_out, has_resid;
  Resampler up, up_clean, down;
  int use_up, use_down, has_ds;
  int passthrough;      /* -a 0: the input goes to the output unchanged (resampled
                           straight to the output rate when -r asks), no core */
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
  double level;         /* > 1: float input above full scale going to a float
                           output, scaled by 1 / level into the core and by
                           level back; 1 otherwise */
  float *lbuf;          /* core output scaled back, lbuf_frames * channels */
  long lbuf_frames;
} Job;

static const char *path_of(const Job *j, int kind) { return j->plan->path[kind]; }

/* ---- the output end: cut to N_out, write output and residual ---- */

static int write_residual(Job *j, const float *y, long n) {
  const long ch = j->in.info.channels;
  char err[ERR_LEN];
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
    if (audio_out_write(&j->resid, j->rbuf, k, err, sizeof err))
      return fault_set(&j->fault, path_of(j, OUT_RESIDUAL), "%s", err);
    done += k;
  }
  return 0;
}

/* ResampleSink at the output rate. */
static int write_out(void *ctx, const float *y, long n) {
  Job *j = ctx;
  long long room = j->out_limit - j->written;
  char err[ERR_LEN];
  if (n > room) n = (long)room;
  if (n <= 0) return 0;
  if (audio_out_write(&j->out, y, n, err, sizeof err))
    return fault_set(&j->fault, j->res->output, "%s", err);
  if (j->has_resid && write_residual(j, y, n)) return -1;
  j->written += n;
  return 0;
}

/* ResampleSink at 48 kHz after the core. */
static int core_out(void *ctx, const float *y, long n) {
  Job *j = ctx;
  if (j->level > 1.0) {
    const size_t ch = (size_t)j->in.info.channels;
    size_t i;
    if (n > j->lbuf_frames) {
      float *b = realloc(j->lbuf, sizeof *b * (size_t)n * ch);
      if (!b) return fault_set(&j->fault, NULL, "out of memory");
      j->lbuf = b;
      j->lbuf_frames = n;
    }
    for (i = 0; i < (size_t)n * ch; i++) j->lbuf[i] = (float)(y[i] * j->level);
    y = j->lbuf;
  }
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

/* The container of an audio file the job writes: -t, else the name's
 * extension (the main output); the extension, else -t, else the output's
 * (the residual). major 0 = the input's. ".wav" keeps a WAVE_FORMAT_EXTENSIBLE
 * input extensible. */
static void container_of(const Job *j, int kind, int *major, int *codec) {
  const CliOptions *o = j->opt;
  const char *path = path_of(j, kind);
  int by_name = strcmp(path, "-") != 0 ? format_from_path(path, codec) : 0, name_codec = *codec;
  *major = 0;
  *codec = 0;
  if (kind == OUT_AUDIO) {
    if (o->out_type) *major = format_from_name(o->out_type, codec);
    else if (by_name) { *major = by_name; *codec = name_codec; }
  } else if (by_name) {
    *major = by_name;
    *codec = name_codec;
  } else if (o->out_type) {
    *major = format_from_name(o->out_type, codec);
  } else {
    *major = j->out.info.format & SF_FORMAT_TYPEMASK;
    if (*major == SF_FORMAT_OGG || *major == SF_FORMAT_MPEG) *codec = j->out.info.format & SF_FORMAT_SUBMASK;
  }
  if (*major == SF_FORMAT_WAV && (j->in.info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAVEX)
    *major = SF_FORMAT_WAVEX;
}

/* Creates, chooses the format of and opens one audio output. */
static int open_audio(Job *j, int kind, AudioOut *ao, int rate) {
  const CliOptions *o = j->opt;
  const char *path = path_of(j, kind);
  int major, codec, fmt, fd = -1;
  char note[256], err[ERR_LEN];
  container_of(j, kind, &major, &codec);
  if (format_choose(j->in.info.format, major, codec, o->out_bits, o->out_encoding,
                    j->in.info.channels, rate, &fmt, note, sizeof note, err, sizeof err))
    return fault_set(&j->fault, path, "%s", err);
  if (note[0]) msg_warn(path, "%s", note);
  if (strcmp(path, "-") != 0 && (fd = outset_create(&j->files, kind, &j->fault)) < 0) return -1;
  if (audio_out_open(ao, fd, fmt, rate, j->in.info.channels, kind == OUT_AUDIO && (o->md5 || o->manifest),
                     err,
                     sizeof err))
    return fault_set(&j->fault, path, "%s", err);
  return 0;
}

/* Creates and opens one dump (kind DUMP_*) in the planned file out, with its
 * column file columns when the plan names one. 0, or -1 + j->fault. */
static int open_dump(Job *j, Dump *d, int kind, int out, int columns, const char *pre) {
  char err[ERR_LEN];
  int fd, cfd = -1;
  if ((fd = outset_create(&j->files, out, &j->fault)) < 0) return -1;
  if (path_of(j, columns) && (cfd = outset_create(&j->files, columns, &j->fault)) < 0) return -1;
  if (dump_open(d, fd, cfd, kind, pre, err, sizeof err))
    return fault_set(&j->fault, path_of(j, out), "%s", err);
  return 0;
}

static int open_side_files(Job *j) {
  char pre[8192], err[ERR_LEN];
  int fd;
  make_preamble(j, pre, sizeof pre);
  if (path_of(j, OUT_RESIDUAL)) {
    if (j->out.info.samplerate != j->in.info.samplerate)
      return fault_set(&j->fault, path_of(j, OUT_RESIDUAL),
                       "--residual needs the output at the input's rate");
    frame_fifo_init(&j->pending, j->in.info.channels);
    j->rbuf = malloc(sizeof *j->rbuf * READ_FRAMES * (size_t)j->in.info.channels);
    if (!j->rbuf) return fault_set(&j->fault, NULL, "out of memory");
    if (open_audio(j, OUT_RESIDUAL, &j->resid, j->out.info.samplerate)) return -1;
    j->has_resid = 1;
  }
  if (path_of(j, OUT_GAINS)) {
    if (open_dump(j, &j->dump_gains, DUMP_GAINS, OUT_GAINS, OUT_GAINS_COLUMNS, pre)) return -1;
    j->has_dump_gains = 1;
  }
  if (path_of(j, OUT_PITCH)) {
    if (open_dump(j, &j->dump_pitch, DUMP_PITCH, OUT_PITCH, OUT_PITCH_COLUMNS, pre)) return -1;
    j->has_dump_pitch = 1;
  }
  if (path_of(j, OUT_LABELS)) {
    if ((fd = outset_create(&j->files, OUT_LABELS, &j->fault)) < 0) return -1;
    if (vad_labels_open(&j->labels, fd, err, sizeof err))
      return fault_set(&j->fault, path_of(j, OUT_LABELS), "%s", err);
    j->has_labels = 1;
  }
  return 0;
}

/* Opens the inputs and the audio output. Returns 0 or -1 + j->fault. */
static int open_files(Job *j, const FileJob *fj) {
  const CliOptions *o = j->opt;
  char tag[160], err[ERR_LEN];
  if (audio_in_open(&j->in, fj->input, &o->raw, err, sizeof err))
    return fault_set(&j->fault, fj->input, "%s", err);
  j->has_in = 1;
  if (fj->clean) {
    if (audio_in_open(&j->clean_in, fj->clean, &o->raw, err, sizeof err))
      return fault_set(&j->fault, fj->clean, "%s", err);
    j->has_clean = 1;
    if (j->clean_in.info.samplerate != j->in.info.samplerate ||
        j->clean_in.info.channels != j->in.info.channels)
      return fault_set(&j->fault, fj->clean,
                       "clean and noisy differ in rate or channels (%d Hz %d ch vs %d Hz %d ch)",
                       j->clean_in.info.samplerate, j->clean_in.info.channels,
                       j->in.info.samplerate, j->in.info.channels);
  }
  if (open_audio(j, OUT_AUDIO, &j->out, o->out_rate ? o->out_rate : j->in.info.samplerate))
    return -1;
  j->has_out = 1;
  snprintf(tag, sizeof tag, "percepnet %s, model %s", percepnet_version(),
           percepnet_model_id(j->run->model));
  audio_out_tags(&j->out, j->in.sf, o->no_tag ? NULL : tag);
  return 0;
}

static int init_chain(Job *j) {
  const CliOptions *o = j->opt;
  const int ch = j->in.info.channels, fs_in = j->in.info.samplerate,
            fs_out = j->out.info.samplerate;
  char err[ERR_LEN];
  if (j->passthrough) {
    /* one converter from the input's rate to the output's, when they differ */
    j->use_down = fs_in != fs_out;
    if (j->use_down && resampler_init(&j->down, fs_in, fs_out, ch, o->resample_quality, err,
                                      sizeof err)) {
      j->use_down = 0;
      return fault_set(&j->fault, j->res->output, "%s", err);
    }
    return 0;
  }
  j->use_up = fs_in != PERCEPNET_SAMPLE_RATE;
  j->use_down = fs_out != PERCEPNET_SAMPLE_RATE;
  if (j->use_up && resampler_init(&j->up, fs_in, PERCEPNET_SAMPLE_RATE, ch, o->resample_quality,
                                  err, sizeof err))
    return fault_set(&j->fault, j->in.name, "%s", err);
  if (j->use_up && j->has_clean &&
      resampler_init(&j->up_clean, fs_in, PERCEPNET_SAMPLE_RATE, ch, o->resample_quality, err,
                     sizeof err)) {
    resampler_free(&j->up);
    j->use_up = 0;
    return fault_set(&j->fault, j->clean_in.name, "%s", err);
  }
  if (j->use_down && resampler_init(&j->down, PERCEPNET_SAMPLE_RATE, fs_out, ch,
                                    o->resample_quality, err, sizeof err)) {
    j->use_down = 0;
    return fault_set(&j->fault, j->res->output, "%s", err);
  }
  if (ds_init(&j->ds, j->run->model, ch, o->channels_mode == CHANNELS_LINKED, j->has_clean,
              o->oracle_comb, j->run->cpu, o->atten_lim_db, core_out, j, on_frame, j, err,
              sizeof err))
    return fault_set(&j->fault, j->in.name, "%s", err);
  ds_set_preroll(&j->ds, !o->no_preroll);
  j->has_ds = 1;
  if (ds_set_stages(&j->ds, o->stages))
    return fault_set(&j->fault, j->in.name, "cannot configure the denoiser's stages");
  return 0;
}

static void cleanup(Job *j) {
  if (j->has_ds) ds_free(&j->ds);
  if (j->use_up) resampler_free(&j->up);
  if (j->use_up && j->has_clean) resampler_free(&j->up_clean);
  if (j->use_down) resampler_free(&j->down);
  if (j->has_out) audio_out_abort(&j->out);
  if (j->has_resid) audio_out_abort(&j->resid);
  if (j->has_dump_gains) dump_abort(&j->dump_gains);
  if (j->has_dump_pitch) dump_abort(&j->dump_pitch);
  if (j->has_labels) vad_labels_abort(&j->labels);
  outset_abort(&j->files);
  if (j->has_in) audio_in_close(&j->in);
  if (j->has_clean) audio_in_close(&j->clean_in);
  frame_fifo_free(&j->pending);
  free(j->rbuf);
  free(j->lbuf);
}

/* Float input to a float output keeps its level even above full scale: the
 * core takes [-1, 1] (it clamps beyond +-2), so such a file is scaled down
 * by its peak into the core and back up after it. */
static int measure_level(Job *j) {
  int bits, out_kind = format_sample_kind(j->out.info.format, &bits);
  double peak = 0.0, clean_peak = 0.0;
  if (j->passthrough || !j->in.is_float || (out_kind != SAMPLES_FLOAT && out_kind != SAMPLES_DOUBLE))
    return 0;
  if (audio_in_scan_peak(&j->in, &peak)) {
    if (j->in.info.seekable) return fault_set(&j->fault, j->in.name, "cannot read the file twice");
    return 0; /* a stream: clamped in the core beyond +6 dBFS */
  }
  if (j->has_clean && j->clean_in.is_float && audio_in_scan_peak(&j->clean_in, &clean_peak) &&
      j->clean_in.info.seekable)
    return fault_set(&j->fault, j->clean_in.name, "cannot read the file twice");
  if (clean_peak > peak) peak = clean_peak;
  if (peak > 1.0) j->level = peak;
  return 0;
}

static double dbfs(double v) { return v > 0.0 ? 20.0 * log10(v) : -INFINITY; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Reads, converts and denoises everything; returns 0 or -1 + j->fault. */
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
  char err[ERR_LEN];
  if (!buf || (j->has_clean && !cbuf)) {
    fault_set(&j->fault, NULL, "out of memory");
    goto done;
  }
  j->out_limit = LLONG_MAX;
  for (;;) {
    k = audio_in_read(&j->in, buf, READ_FRAMES, err, sizeof err);
    if (k < 0) {
      fault_set(&j->fault, j->in.name, "%s", err);
      goto done;
    }
    if (j->has_clean) {
      long kc = audio_in_read(&j->clean_in, cbuf, READ_FRAMES, err, sizeof err);
      if (kc < 0) {
        fault_set(&j->fault, j->clean_in.name, "%s", err);
        goto done;
      }
      if (kc != k) {
        fault_set(&j->fault, j->clean_in.name, "clean and noisy differ in length");
        goto done;
      }
    }
    if (k == 0) break;
    if (interrupt_signal()) {
      fault_set(&j->fault, j->in.name, "interrupted");
      goto done;
    }
    n += k;
    for (i = 0; i < (size_t)k * (size_t)ch; i++) {
      float a = fabsf(buf[i]);
      j->in_sum_sq += (double)buf[i] * (double)buf[i];
      if (a > j->in_peak) j->in_peak = a;
    }
    if (j->has_resid && frame_fifo_push(&j->pending, buf, k)) {
      fault_set(&j->fault, NULL, "out of memory");
      goto done;
    }
    if (j->level > 1.0) {
      const float g = (float)(1.0 / j->level);
      for (i = 0; i < (size_t)k * (size_t)ch; i++) buf[i] *= g;
      for (i = 0; j->has_clean && i < (size_t)k * (size_t)ch; i++) cbuf[i] *= g;
    }
    if (j->passthrough) {
      if (j->use_down ? resampler_push(&j->down, buf, k, 0, write_out, j) : write_out(j, buf, k))
        goto chain_failed;
    } else if (j->use_up) {
      if (j->has_clean && resampler_push(&j->up_clean, cbuf, k, 0, ds_push_clean, &j->ds)) goto chain_failed;
      if (resampler_push(&j->up, buf, k, 0, ds_push, &j->ds)) goto chain_failed;
    } else {
      if (j->has_clean && ds_push_clean(&j->ds, cbuf, k)) goto chain_failed;
      if (ds_push(&j->ds, buf, k)) goto chain_failed;
    }
    if (total_hint) {
      double el = now_s() - t0;
      /* no speed before half a second: the first blocks measure start-up */
      msg_progress(j->in.name, (double)n / (double)total_hint,
                   el >= 0.5 ? (double)n / fs_in / el : 0.0);
    }
  }
  if (n == 0) {
    /* a valid header with no samples: an output with none either */
    j->out_limit = 0;
    *n_in = 0;
    rc = 0;
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
  if (!j->passthrough && ds_finish(&j->ds, total48)) goto chain_failed;
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
  /* a failed write has named its file already; this names the input */
  fault_set(&j->fault, j->in.name, "processing failed (denoiser or resampler error)");
done:
  msg_progress_end();
  free(buf);
  free(cbuf);
  return rc;
}

/* Completes every file, then moves them all into place together. */
static int finish_outputs(Job *j) {
  double duration = (double)j->written / j->out.info.samplerate;
  char err[ERR_LEN];
  if (j->has_dump_gains) {
    j->has_dump_gains = 0;
    if (dump_finish(&j->dump_gains, err, sizeof err))
      return fault_set(&j->fault, path_of(j, OUT_GAINS), "%s", err);
  }
  if (j->has_dump_pitch) {
    j->has_dump_pitch = 0;
    if (dump_finish(&j->dump_pitch, err, sizeof err))
      return fault_set(&j->fault, path_of(j, OUT_PITCH), "%s", err);
  }
  if (j->has_labels) {
    j->has_labels = 0;
    if (vad_labels_finish(&j->labels, duration, err, sizeof err))
      return fault_set(&j->fault, path_of(j, OUT_LABELS), "%s", err);
  }
  if (j->has_resid) {
    j->has_resid = 0;
    if (audio_out_finish(&j->resid, NULL, err, sizeof err))
      return fault_set(&j->fault, path_of(j, OUT_RESIDUAL), "%s", err);
  }
  j->has_out = 0;
  if (audio_out_finish(&j->out, j->res->md5, err, sizeof err))
    return fault_set(&j->fault, j->res->output, "%s", err);
  return outset_commit(&j->files, &j->fault);
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
  memset(&rd, 0, sizeof rd);
  if (!j) {
    msg_error(fj->input, "out of memory");
    res->status = FILE_FAILED;
    return;
  }
  j->run = run;
  j->opt = o;
  j->plan = fj->plan;
  j->res = res;
  j->in.name = fj->input;
  j->level = 1.0;
  j->passthrough = o->atten_lim_db == 0.0f;
  outset_init(&j->files, fj->plan, o->overwrite == OVERWRITE_FORCE);
  if (fj->plan->path[OUT_AUDIO])
    snprintf(res->output, sizeof res->output, "%s", fj->plan->path[OUT_AUDIO]);
  if (fj->plan->status == PLAN_SKIP) status = FILE_SKIPPED;
  else if (fj->plan->status == PLAN_REFUSED) status = FILE_FAILED;
  else if (open_files(j, fj) || init_chain(j) || open_side_files(j) || measure_level(j))
    status = FILE_FAILED;
  else status = FILE_OK;
  if (status == FILE_OK) {
    format_describe(j->in.info.format, in_desc, sizeof in_desc);
    format_describe(j->out.info.format, out_desc, sizeof out_desc);
    msg_info(2, fj->input, "%d Hz, %d channel%s, %s -> %s: %d Hz, %s; resampling %s (%s); "
             "core delay %d samples at 48 kHz (%.1f ms), compensated",
             j->in.info.samplerate, j->in.info.channels, j->in.info.channels > 1 ? "s" : "",
             in_desc, res->output, j->out.info.samplerate, out_desc,
             j->passthrough ? (j->use_down ? "straight to the output rate (-a 0)" : "none (-a 0)") :
             j->use_up && j->use_down ? "to 48 kHz and back" : j->use_up ? "to 48 kHz" :
             j->use_down ? "from 48 kHz" : "none", options_quality_name(o->resample_quality),
             j->ds.delay, j->ds.delay / 48.0);
    if (run_chain(j, &n_in) || finish_outputs(j)) status = FILE_FAILED;
    clipped = j->out.clipped;
    out_sum_sq = j->out.sum_sq;
    out_peak = j->out.peak;
  }
  wall = now_s() - t0;
  if (status == FILE_FAILED) {
    const Fault *f = fj->plan->status == PLAN_REFUSED ? &fj->plan->why : &j->fault;
    msg_error(f->file[0] ? f->file : NULL, "%s", f->reason);
    rd.error = f->reason;
  }
  if (status == FILE_SKIPPED) msg_info(2, fj->plan->why.file, "%s", fj->plan->why.reason);
  if (status == FILE_OK) {
    if (j->in.trailing_bytes)
      msg_warn(fj->input, "%lld trailing byte%s ignored: not a whole %d-channel %d-bit frame",
               j->in.trailing_bytes, j->in.trailing_bytes == 1 ? "" : "s", o->raw.channels,
               o->raw.bits);
    if (j->in.truncated)
      msg_warn(fj->input, "truncated: the file is cut short; "
               "denoised the audio that is there");
    if (j->in.nonfinite) msg_warn(fj->input, "%lld NaN/Inf samples replaced by 0", j->in.nonfinite);
    if (j->has_clean && j->clean_in.nonfinite)
      msg_warn(fj->clean, "%lld NaN/Inf samples replaced by 0", j->clean_in.nonfinite);
    if (clipped) msg_warn(res->output, "%lld samples clipped to full scale", clipped);
  }
  res->status = status;
  rd.input = fj->input;
  rd.clean = fj->clean;
  rd.output = res->output[0] ? res->output : NULL;
  rd.status = status == FILE_OK ? "ok" : status == FILE_SKIPPED ? "skipped" : "failed";
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
    rd.truncated = j->in.truncated;
    rd.md5 = o->md5 ? res->md5 : NULL;
    msg_info(2, fj->input, "%.2f s -> %s, %.1fx real time, mean gain %.1f dB, 10%% gain %.1f dB, "
             "speech %.0f%%, in %.1f dBFS, out %.1f dBFS, clipped %lld",
             rd.duration_s, res->output, rd.speed, rd.gain_mean_db, rd.gain_p10_db,
             100.0 * rd.speech_share, rd.input_rms_dbfs, rd.output_rms_dbfs, clipped);
  }
  if (o->report) res->report = report_json(&rd);
  cleanup(j);
  free(j);
}
