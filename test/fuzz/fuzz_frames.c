/*
 * fuzz_frames.c - libFuzzer harness for the frame processor fed hostile
 * float frames.
 *
 * Input layout: byte 0 configures the run (bits 0-2: kernel path, the
 * machine's best one in half the cases, the slow C reference in one of
 * eight; bit 3-4: API flavour
 * percepnet_process / _linked (2 channels) / _oracle; bit 5: attenuation
 * limit). Then, per frame (at
 * most MAX_FRAMES), one class byte and one parameter byte pick how the
 * frame is made:
 *   RAW     the next 1920 bytes as 480 native floats (any bit pattern)
 *   NASTY   the next 480 bytes, each selecting a value from nasty[] below
 *   NAN/INF the whole frame NaN / +Inf / -Inf (parameter picks which)
 *   DENORM  denormals of both signs
 *   HUGE    +-1e30 and +-FLT_MAX alternating in runs set by the parameter
 *   DC      a constant from nasty[]
 *   SQUARE  a full-scale (+-1) square wave, half period 1..256 samples
 * Missing bytes read as 0. After every frame: output finite and within
 * +-OUTPUT_BOUND, frame info within its documented ranges. After the fuzzed
 * frames, SILENT_FRAMES of digital silence must bring the output to
 * (almost) exact silence: no NaN, Inf or huge value is left in the history,
 * overlap-add or comb buffers.
 */
#include "percepnet.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N PERCEPNET_FRAME_SIZE
#define MAX_FRAMES 16 /* per input: bounds the work of one run */
#define SILENT_FRAMES 8     /* 80 ms: longer than the 60 ms input history */
#define OUTPUT_BOUND 2.0f   /* PN_OUTPUT_CLAMP in lib/percepnet.c */
#define SILENCE_BOUND 1e-6f /* -120 dBFS */

enum { C_RAW, C_NASTY, C_NAN, C_DENORM, C_HUGE, C_DC, C_SQUARE, C_COUNT };

static const float nasty[16] = {
    0.0f, -0.0f, NAN, -NAN, INFINITY, -INFINITY, 1e-45f /* smallest denormal */,
    -1e-40f, FLT_MIN, FLT_MAX, -FLT_MAX, 1e30f, -1e30f, 1.0f, -1.0f, 0.999969f};

typedef struct {
  const uint8_t *p;
  size_t left;
} Reader;

static uint8_t next_byte(Reader *r) {
  if (!r->left) return 0;
  r->left--;
  return *r->p++;
}

static void make_frame(Reader *r, float *x) {
  int cls = next_byte(r) % C_COUNT, par = next_byte(r), i;
  switch (cls) {
    case C_RAW:
      for (i = 0; i < N; i++) {
        uint8_t b[4];
        int k;
        for (k = 0; k < 4; k++) b[k] = next_byte(r);
        memcpy(&x[i], b, sizeof x[i]);
      }
      break;
    case C_NASTY:
      for (i = 0; i < N; i++) x[i] = nasty[next_byte(r) & 15];
      break;
    case C_NAN:
      for (i = 0; i < N; i++) x[i] = par % 3 == 0 ? NAN : par % 3 == 1 ? INFINITY : -INFINITY;
      break;
    case C_DENORM:
      for (i = 0; i < N; i++) x[i] = (i + par) & 1 ? 1e-42f * (float)(i % 7) : -1e-39f;
      break;
    case C_HUGE:
      for (i = 0; i < N; i++) {
        int run = (i / (par % 32 + 1)) & 3;
        x[i] = run == 0 ? 1e30f : run == 1 ? -1e30f : run == 2 ? FLT_MAX : -FLT_MAX;
      }
      break;
    case C_DC:
      for (i = 0; i < N; i++) x[i] = nasty[par & 15];
      break;
    default: /* C_SQUARE */
      for (i = 0; i < N; i++) x[i] = (i / (par + 1)) & 1 ? 1.0f : -1.0f;
      break;
  }
}

static void check_output(const float *out, const PercepnetState *st, float bound) {
  PercepnetFrameInfo fi;
  int i;
  for (i = 0; i < N; i++)
    if (!isfinite(out[i]) || fabsf(out[i]) > bound) abort();
  if (percepnet_get_frame_info(st, &fi) != PERCEPNET_OK) abort();
  for (i = 0; i < PERCEPNET_NB_BANDS; i++) {
    if (!isfinite(fi.gain[i]) || fi.gain[i] < 0.0f) abort();
    if (!(fi.strength[i] >= 0.0f && fi.strength[i] <= 1.0f)) abort();
  }
  if (!(fi.vad >= 0.0f && fi.vad <= 1.0f)) abort();
  if (!(fi.pitch_period >= 60.0f && fi.pitch_period <= 768.0f)) abort();
  if (!(fi.pitch_corr >= 0.0f && fi.pitch_corr <= 1.0f)) abort();
}

enum { API_PLAIN, API_LINKED, API_ORACLE };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const paths[8] = {NULL, NULL, NULL, NULL, "avx2", "avx2", "sse4.1", "c"};
  Reader r = {data, size};
  uint8_t cfg = next_byte(&r);
  int api = ((cfg >> 3) & 3) % 3, nst = api == API_LINKED ? 2 : 1, level, c, f;
  PercepnetState *st[2] = {NULL, NULL};
  float in[2][N], out[2][N], clean[N];
  float *outp[2] = {out[0], out[1]};
  const float *inp[2] = {in[0], in[1]};
  for (c = 0; c < nst; c++) {
    st[c] = percepnet_create(NULL, NULL);
    if (!st[c]) abort();
    if (paths[cfg & 7] && percepnet_cpu_parse(paths[cfg & 7], &level) == PERCEPNET_OK &&
        percepnet_set_cpu(st[c], level) != PERCEPNET_OK)
      abort();
    if (cfg & 32 && percepnet_set_atten_limit(st[c], 12.0f) != PERCEPNET_OK) abort();
  }
  for (f = 0; f < MAX_FRAMES && r.left > 0; f++) {
    make_frame(&r, in[0]);
    if (api == API_PLAIN) {
      if (percepnet_process(st[0], out[0], in[0]) != PERCEPNET_OK) abort();
    } else if (api == API_LINKED) {
      make_frame(&r, in[1]);
      if (percepnet_process_linked(st, 2, outp, inp) != PERCEPNET_OK) abort();
    } else {
      make_frame(&r, clean);
      if (percepnet_process_oracle(st[0], out[0], in[0], clean) != PERCEPNET_OK) abort();
    }
    for (c = 0; c < nst; c++) check_output(out[c], st[c], OUTPUT_BOUND);
  }
  memset(in, 0, sizeof in);
  memset(clean, 0, sizeof clean);
  for (f = 0; f < SILENT_FRAMES; f++) {
    if (api == API_PLAIN) {
      if (percepnet_process(st[0], out[0], in[0]) != PERCEPNET_OK) abort();
    } else if (api == API_LINKED) {
      if (percepnet_process_linked(st, 2, outp, inp) != PERCEPNET_OK) abort();
    } else if (percepnet_process_oracle(st[0], out[0], in[0], clean) != PERCEPNET_OK) {
      abort();
    }
    /* the first frames still hold the tail of the fuzzed input (30 ms delay
     * + overlap); the last one must be silent */
    for (c = 0; c < nst; c++)
      check_output(out[c], st[c], f == SILENT_FRAMES - 1 ? SILENCE_BOUND : OUTPUT_BOUND);
  }
  for (c = 0; c < nst; c++) percepnet_destroy(st[c]);
  return 0;
}
