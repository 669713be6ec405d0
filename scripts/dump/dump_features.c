/*
 * dump_features.c - percepnet-dump: training rows from prepared audio.
 *
 *   percepnet-dump --speech DIR/speech_train --noise DIR/noise_train
 *                  --out FILE.f32 [--seed N] [--sequences N] [--first N]
 *                  [--frames N] [--snr-min DB] [--snr-max DB]
 *                  [--p-reverb P] [--p-clean P] [--p-noise-only P]
 *                  [--p-clip P] [--p-dereverb P] [--p-noise-tail P]
 *                  [--p-speed P] [--p-hold P] [--p-coloured P] [--hf-boost X]
 *                  [--rumble-floor-hz F] [--p-modulated P] [--p-babble P]
 *                  [--features N]
 *
 * --speech / --noise name a prepared corpus without extension (NAME.f32 +
 * NAME.tsv, scripts/data/prepare.py); --noise none uses generated noises
 * only. --hf-boost (default 2): speech pieces with a bandwidth of at least
 * HF_BOOST_MIN_HZ are drawn X times as often per second of audio (full-band
 * speech is scarce and the only teacher of the top bands). --p-babble P
 * (default 0.12, or that scaled by --p-coloured): the share of babble among
 * the noises, the other kinds scaled to fill the rest
 * (mix_set_babble_share). --features N
 * (default 70): the features a row keeps, the first N of the core's
 * (lib/dsp/net_features.h): 70 (level, coherence and pitch features, the
 * rows of every dump before the SNR features, byte for byte) or 104 (also
 * the 34 band SNRs against the tracked noise). For each sequence i in
 * [first, first + sequences) a PRNG seeded from
 * (seed, i) draws a noisy input and its clean target (dump_mix.h), and
 * frames + 2 hops of 480 samples go through percepnet_train_frame(), the
 * training entry point of the signal chain, giving exactly `frames` rows
 * (the first two steps only fill the look-ahead). Sequence i depends on
 * nothing but (seed, i) and the corpora, so a dump split into parts with
 * --first reproduces the same rows as one run.
 *
 * Output: FILE.f32, rows of N + 69 little-endian float32 (139 with the
 *   default 70 features, 173 with 104): [0, N) features, [N, N + 34) gains
 *   g_b, [N + 34, N + 68) strengths r_b, [N + 68] vad; -1 in a target =
 *   don't care. Sequence k of the file holds rows [k * frames, (k + 1) *
 *   frames). FILE.json describes the file (row_floats, nb_features and the
 *   layout give the columns);
 *   FILE.seq.tsv lists each sequence's draw (kind, SNR, level, band limit,
 *   RT60, noise kind, clipping, quantisation, noise tail, tape speed, held
 *   vowels). All
 *   three are written under temporary names and renamed when complete.
 * Progress goes to stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dump_corpus.h"
#include "dump_mix.h"
#include "dump_rng.h"
#include "percepnet_train.h"

#define HF_BOOST_MIN_HZ 12000.0
#define HOP PERCEPNET_FRAME_SIZE /* 480 samples at 48 kHz */
/* percepnet_train_frame() returns 0 while its two frames of look-ahead fill
 * (percepnet_train.h) */
#define LOOKAHEAD_STEPS 2

typedef struct {
  const char *speech, *noise, *out;
  uint64_t seed;
  long sequences, first;
  int frames;
  int features; /* features kept per row: PN_FEATURES_BASE or PN_FEATURES */
  double hf_boost;
  MixOptions mix;
} Args;

static void usage(void) {
  fprintf(stderr,
          "usage: percepnet-dump --speech PREFIX --noise PREFIX|none --out FILE.f32\n"
          "       [--seed N] [--sequences N] [--first N] [--frames N]\n"
          "       [--snr-min DB] [--snr-max DB] [--p-reverb P] [--p-clean P]\n"
          "       [--p-noise-only P] [--p-clip P] [--p-dereverb P] [--p-noise-tail P]\n"
          "       [--p-speed P] [--p-hold P] [--p-coloured P] [--hf-boost X]\n"
          "       [--rumble-floor-hz F] [--p-modulated P] [--p-babble P]\n"
          "       [--features 70|104]\n");
}

static int parse_args(int argc, char **argv, Args *a) {
  memset(a, 0, sizeof *a);
  a->seed = 1;
  a->sequences = 100;
  a->frames = 1000;
  a->features = PN_FEATURES_BASE;
  a->hf_boost = 2.0;
  mix_default_options(&a->mix);
  double p_coloured = -1; /* < 0: the default noise mix */
  double p_babble = -1;   /* < 0: babble keeps its default share (scaled by --p-coloured's) */
  for (int i = 1; i < argc; i++) {
    const char *k = argv[i];
    if (i + 1 >= argc) {
      fprintf(stderr, "percepnet-dump: %s needs a value\n", k);
      return -1;
    }
    const char *v = argv[++i];
    char *end = NULL;
    errno = 0;
    if (!strcmp(k, "--speech")) {
      a->speech = v;
    } else if (!strcmp(k, "--noise")) {
      a->noise = v;
    } else if (!strcmp(k, "--out")) {
      a->out = v;
    } else if (!strcmp(k, "--seed")) {
      a->seed = strtoull(v, &end, 10);
    } else if (!strcmp(k, "--sequences")) {
      a->sequences = strtol(v, &end, 10);
    } else if (!strcmp(k, "--first")) {
      a->first = strtol(v, &end, 10);
    } else if (!strcmp(k, "--frames")) {
      a->frames = (int)strtol(v, &end, 10);
    } else if (!strcmp(k, "--features")) {
      a->features = (int)strtol(v, &end, 10);
    } else if (!strcmp(k, "--snr-min")) {
      a->mix.snr_min_db = strtod(v, &end);
    } else if (!strcmp(k, "--snr-max")) {
      a->mix.snr_max_db = strtod(v, &end);
    } else if (!strcmp(k, "--p-reverb")) {
      a->mix.p_reverb = strtod(v, &end);
    } else if (!strcmp(k, "--p-dereverb")) {
      a->mix.p_dereverb = strtod(v, &end);
    } else if (!strcmp(k, "--p-noise-tail")) {
      a->mix.p_noise_tail = strtod(v, &end);
    } else if (!strcmp(k, "--p-speed")) {
      a->mix.p_speed = strtod(v, &end);
    } else if (!strcmp(k, "--p-hold")) {
      a->mix.p_hold = strtod(v, &end);
    } else if (!strcmp(k, "--p-coloured")) {
      p_coloured = strtod(v, &end);
    } else if (!strcmp(k, "--p-babble")) {
      p_babble = strtod(v, &end);
    } else if (!strcmp(k, "--rumble-floor-hz")) {
      a->mix.rumble_floor_hz = strtod(v, &end);
    } else if (!strcmp(k, "--p-modulated")) {
      a->mix.p_modulated = strtod(v, &end);
    } else if (!strcmp(k, "--p-clip")) {
      a->mix.p_clip = strtod(v, &end);
    } else if (!strcmp(k, "--hf-boost")) {
      a->hf_boost = strtod(v, &end);
    } else if (!strcmp(k, "--p-clean")) {
      a->mix.p_clean_only = strtod(v, &end);
    } else if (!strcmp(k, "--p-noise-only")) {
      a->mix.p_noise_only = strtod(v, &end);
    } else {
      fprintf(stderr, "percepnet-dump: unknown option %s\n", k);
      return -1;
    }
    if (end && (*end != '\0' || errno)) {
      fprintf(stderr, "percepnet-dump: bad value for %s: %s\n", k, v);
      return -1;
    }
  }
  if (!a->speech || !a->noise || !a->out) {
    fprintf(stderr, "percepnet-dump: --speech, --noise and --out are required\n");
    return -1;
  }
  if (a->sequences < 1 || a->first < 0 || a->frames < 1 || a->frames > 100000 ||
      a->mix.snr_min_db > a->mix.snr_max_db || !(a->hf_boost >= 1.0 && a->hf_boost <= 100.0) ||
      a->mix.p_clean_only + a->mix.p_noise_only > 1.0 || !(a->mix.p_dereverb >= 0.0) ||
      a->mix.p_dereverb > 1.0 || !(a->mix.p_noise_tail >= 0.0) || a->mix.p_noise_tail > 1.0 ||
      !(a->mix.p_speed >= 0.0) || a->mix.p_speed > 1.0 || !(a->mix.p_hold >= 0.0) ||
      a->mix.p_hold > 1.0 || !(a->mix.p_modulated >= 0.0) || a->mix.p_modulated > 1.0 ||
      !(a->mix.rumble_floor_hz >= 0.01 && a->mix.rumble_floor_hz <= RUMBLE_FLOOR_MAX_HZ) ||
      (p_coloured != -1 && !(p_coloured >= 0.0 && p_coloured <= 1.0)) ||
      (p_babble != -1 && !(p_babble >= 0.0 && p_babble <= 1.0))) {
    fprintf(stderr, "percepnet-dump: option out of range\n");
    return -1;
  }
  if (a->features != PN_FEATURES_BASE && a->features != PN_FEATURES) {
    fprintf(stderr, "percepnet-dump: --features must be %d or %d\n", PN_FEATURES_BASE,
            PN_FEATURES);
    return -1;
  }
  if (p_coloured >= 0.0) mix_set_coloured_share(&a->mix, p_coloured);
  if (p_babble >= 0.0) {
    if (p_coloured >= 0.0 && p_coloured + p_babble > 1.0 + 1e-9) {
      fprintf(stderr, "percepnet-dump: --p-coloured and --p-babble add up to more than 1\n");
      return -1;
    }
    mix_set_babble_share(&a->mix, p_babble, p_coloured >= 0.0);
  }
  return 0;
}

/* The PRNG state of sequence i: a mix of (seed, i) through two splitmix64
 * rounds with different constants, so every sequence is independent of the
 * others and of how the dump is split. (Adding i times splitmix's own
 * increment would give sequence i + 1 the shifted state words of sequence i.) */
static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static void seed_sequence(DumpRng *r, uint64_t seed, long i) {
  const uint64_t a = mix64(seed + 0x2545F4914F6CDD1Dull);
  rng_seed(r, mix64(a ^ ((uint64_t)i * 0xD6E8FEB86659FD93ull)));
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *with_suffix(const char *out, const char *suffix) {
  size_t n = strlen(out);
  if (n > 4 && !strcmp(out + n - 4, ".f32")) n -= 4;
  char *s = malloc(n + strlen(suffix) + 1);
  if (!s) return NULL;
  memcpy(s, out, n);
  strcpy(s + n, suffix);
  return s;
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      fprintf(f, "\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      fprintf(f, "\\u%04x", *s);
    else
      fputc(*s, f);
  }
  fputc('"', f);
}

static int write_json(const char *path, const Args *a, const Corpus *sp, const Corpus *no,
                      long rows, double seconds) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  const MixOptions *m = &a->mix;
  const int nf = a->features, row = nf + PERCEPNET_TRAIN_TARGETS;
  fprintf(f, "{\n  \"format\": \"float32 little-endian rows\",\n");
  fprintf(f, "  \"row_floats\": %d,\n  \"nb_features\": %d,\n", row, nf);
  fprintf(f, "  \"layout\": {\"features\": [0, %d], \"gains\": [%d, %d], "
             "\"strengths\": [%d, %d], \"vad\": [%d, %d]},\n",
          nf, nf, nf + PERCEPNET_NB_BANDS, nf + PERCEPNET_NB_BANDS,
          nf + 2 * PERCEPNET_NB_BANDS, row - 1, row);
  fprintf(f, "  \"dont_care\": -1,\n");
  fprintf(f, "  \"frames_per_sequence\": %d,\n  \"sequences\": %ld,\n  \"first_sequence\": %ld,\n",
          a->frames, a->sequences, a->first);
  fprintf(f, "  \"rows\": %ld,\n  \"seed\": %" PRIu64 ",\n", rows, a->seed);
  fprintf(f, "  \"hf_boost\": %g,\n  \"hf_boost_min_hz\": %g,\n", a->hf_boost, HF_BOOST_MIN_HZ);
  fprintf(f, "  \"speech\": ");
  json_string(f, a->speech);
  fprintf(f, ",\n  \"speech_hours\": %.3f,\n  \"speech_pieces\": %d,\n  \"noise\": ",
          corpus_hours(sp), sp->n_pieces);
  json_string(f, a->noise);
  fprintf(f, ",\n  \"noise_hours\": %.3f,\n  \"noise_pieces\": %d,\n", corpus_hours(no),
          no->n_pieces);
  fprintf(f,
          "  \"options\": {\"p_clean_only\": %g, \"p_noise_only\": %g, \"snr_db\": [%g, %g], "
          "\"level_dbfs\": [%g, %g], \"p_reverb\": %g, \"p_dereverb\": %g, "
          "\"p_noise_tail\": %g, \"rt60_s\": [%g, %g], "
          "\"early_reflections_ms\": %g, \"p_band_limit\": %g, \"p_clip\": %g, "
          "\"p_quantise16\": %g, \"p_onset_delay\": %g, \"p_real_noise\": %g, "
          "\"p_babble\": %g, \"p_coloured\": %g, \"rumble_floor_hz\": %g, \"p_modulated\": %g, "
          "\"p_hum\": %g, \"p_second_noise\": %g, "
          "\"p_speed\": %g, \"speed\": [%g, %g], \"p_hold\": %g, \"hold_s\": [%g, %g]},\n",
          m->p_clean_only, m->p_noise_only, m->snr_min_db, m->snr_max_db, m->level_min_db,
          m->level_max_db, m->p_reverb, m->p_dereverb, m->p_noise_tail, m->rt60_min_s,
          m->rt60_max_s, RIR_EARLY_MS,
          m->p_band_limit, m->p_clip, m->p_quantise, m->p_onset_delay, m->p_real_noise,
          m->p_babble, m->p_coloured, m->rumble_floor_hz, m->p_modulated, m->p_hum,
          m->p_second_noise, m->p_speed, m->speed_min, m->speed_max, m->p_hold, m->hold_min_s,
          m->hold_max_s);
  fprintf(f, "  \"wall_seconds\": %.1f\n}\n", seconds);
  return fclose(f);
}

int main(int argc, char **argv) {
  Args a;
  if (parse_args(argc, argv, &a) != 0) {
    usage();
    return 2;
  }
  Corpus speech, noise;
  memset(&noise, 0, sizeof noise);
  if (corpus_open(&speech, a.speech) != 0) return 1;
  if (strcmp(a.noise, "none") != 0 && corpus_open(&noise, a.noise) != 0) return 1;
  corpus_weight(&speech, HF_BOOST_MIN_HZ, a.hf_boost);
  fprintf(stderr, "percepnet-dump: speech %.2f h (%d pieces, %d speaker-source groups), noise %.2f h (%d)\n",
          corpus_hours(&speech), speech.n_pieces, speech.n_speakers, corpus_hours(&noise),
          noise.n_pieces);

  const int steps = a.frames + LOOKAHEAD_STEPS;
  Mixer mx;
  PercepnetTrain *tr = percepnet_train_create();
  if (!tr || mixer_create(&mx, &speech, &noise, &a.mix, steps * HOP) != 0) {
    fprintf(stderr, "percepnet-dump: out of memory\n");
    return 1;
  }
  char *tmp_out = with_suffix(a.out, ".f32.tmp");
  char *seq_path = with_suffix(a.out, ".seq.tsv");
  char *seq_tmp = with_suffix(a.out, ".seq.tsv.tmp");
  char *json_path = with_suffix(a.out, ".json");
  char *json_tmp = with_suffix(a.out, ".json.tmp");
  char *out_path = with_suffix(a.out, ".f32");
  const int row_floats = a.features + PERCEPNET_TRAIN_TARGETS;
  float *rows = malloc(sizeof *rows * (size_t)a.frames * (size_t)row_floats);
  FILE *fo = tmp_out ? fopen(tmp_out, "wb") : NULL;
  FILE *fs = seq_tmp ? fopen(seq_tmp, "w") : NULL;
  if (!rows || !fo || !fs || !seq_path || !json_path || !json_tmp || !out_path) {
    fprintf(stderr, "percepnet-dump: cannot write %s: %s\n", a.out, strerror(errno));
    return 1;
  }
  fprintf(fs, "sequence\tkind\tnoise_kind\tsnr_db\tlevel_dbfs\tband_limit_hz\tcutoff_hz\t"
              "rt60_s\tclipped_samples\tquantised\tspeech_rows\tdereverb\ttail_s\tspeed\thold_s\n");

  const double t0 = now_s();
  double last = t0;
  long total_rows = 0;
  for (long s = 0; s < a.sequences; s++) {
    const long idx = a.first + s;
    DumpRng r;
    MixInfo info;
    seed_sequence(&r, a.seed, idx);
    mixer_draw(&mx, &r, &info);
    percepnet_train_reset(tr);
    int n = 0, speech_rows = 0;
    for (int t = 0; t < steps; t++) {
      /* every feature and target of the step, then the row's share of them */
      float full[PERCEPNET_TRAIN_ROW];
      float *tg = full + PN_FEATURES;
      if (percepnet_train_frame(tr, mx.noisy + (size_t)t * HOP, mx.target + (size_t)t * HOP,
                                info.band_limit_hz, full, tg, tg + PERCEPNET_NB_BANDS,
                                tg + 2 * PERCEPNET_NB_BANDS)) {
        if (n >= a.frames) {
          fprintf(stderr, "percepnet-dump: more rows than frames in a sequence\n");
          return 1;
        }
        float *row = rows + (size_t)n * (size_t)row_floats;
        memcpy(row, full, sizeof *row * (size_t)a.features);
        memcpy(row + a.features, tg, sizeof *row * PERCEPNET_TRAIN_TARGETS);
        for (int k = 0; k < row_floats; k++)
          if (!isfinite(row[k])) {
            fprintf(stderr, "percepnet-dump: non-finite value in sequence %ld row %d col %d\n",
                    idx, n, k);
            return 1;
          }
        if (row[row_floats - 1] > 0.5f) speech_rows++;
        n++;
      }
    }
    if (n != a.frames) {
      fprintf(stderr, "percepnet-dump: sequence %ld gave %d rows, expected %d\n", idx, n,
              a.frames);
      return 1;
    }
    if (fwrite(rows, sizeof *rows * (size_t)row_floats, (size_t)n, fo) != (size_t)n) {
      fprintf(stderr, "percepnet-dump: write error: %s\n", strerror(errno));
      return 1;
    }
    total_rows += n;
    fprintf(fs, "%ld\t%d\t%d\t%.2f\t%.2f\t%.0f\t%.0f\t%.3f\t%d\t%d\t%d\t%d\t%.2f\t%.3f\t%.2f\n", idx,
            info.kind, info.noise_kind, info.snr_db, info.level_db, info.band_limit_hz,
            info.cutoff_hz, info.rt60_s, info.clipped, info.quantised, speech_rows,
            info.dereverb, info.tail_s, info.speed, info.hold_s);
    const double t = now_s();
    if (t - last >= 10.0 || s + 1 == a.sequences) {
      const double rate = (double)total_rows / (t - t0);
      fprintf(stderr, "percepnet-dump: %ld/%ld sequences, %ld rows, %.0f frames/s, eta %.0f s\n",
              s + 1, a.sequences, total_rows, rate,
              (double)(a.sequences - s - 1) * a.frames / (rate > 0 ? rate : 1));
      last = t;
    }
  }
  const double secs = now_s() - t0;
  if (fclose(fo) != 0 || fclose(fs) != 0 ||
      write_json(json_tmp, &a, &speech, &noise, total_rows, secs) != 0 ||
      rename(tmp_out, out_path) != 0 || rename(seq_tmp, seq_path) != 0 ||
      rename(json_tmp, json_path) != 0) {
    fprintf(stderr, "percepnet-dump: cannot finish %s: %s\n", a.out, strerror(errno));
    return 1;
  }
  fprintf(stderr, "percepnet-dump: wrote %ld rows to %s in %.1f s\n", total_rows, out_path, secs);
  percepnet_train_destroy(tr);
  mixer_destroy(&mx);
  corpus_close(&speech);
  if (noise.n_pieces) corpus_close(&noise);
  free(rows);
  free(tmp_out);
  free(seq_path);
  free(seq_tmp);
  free(json_path);
  free(json_tmp);
  free(out_path);
  return 0;
}
