/*
 * percepnet.c - the denoiser state (percepnet.h): analysis, network,
 * gains, comb mixing and synthesis, one 10 ms frame per call.
 *
 * Per step t (see lib/dsp/dsp_const.h for the timeline):
 *   1. sanitise the input, analyse frame t (FFT, band powers)
 *   2. pitch candidates of frame t; Viterbi decision for frame t - 2
 *   3. comb filter of frame t - 2's window (forward taps reach the newest
 *      sample), its spectrum and band coherences
 *   4. features of step t -> network -> g_b, r_b, VAD of frame t - 2
 *      (oracle: targets from the clean reference, lib/dsp/targets.h)
 *   5. decay limit -> envelope postfilter -> attenuation floor
 *   6. comb mixing with energy renormalisation, gains, inverse FFT,
 *      overlap-add: output = enhanced input delayed by 1440 samples
 * Nothing is allocated after percepnet_create().
 */
#include "percepnet.h"

#include "chain_fixed.h"
#include "percepnet_model.h"

#include "channel.h"
#include "frontend.h"
#include "gains.h"
#include "mix.h"
#include "net_features.h"
#include "postfilter.h"
#include "targets.h"

#include "pn_cpu.h"
#include "pn_net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef PERCEPNET_VERSION
#define PERCEPNET_VERSION "unknown"
#endif

/* Output samples are clamped to +-PN_OUTPUT_CLAMP (+6 dBFS of headroom
 * over the [-1, 1] range; the caller clips to its own format). */
#define PN_OUTPUT_CLAMP 2.0f

/* Invalid input. A sample that is not finite or has |x| > PN_INVALID_ABS
 * is not audio: decoders and resamplers deliver [-1, 1] plus at most a few
 * dB of inter-sample overshoot, and float mixing buses rarely pass +20 dBFS
 * (|x| = 10); 1e3 is +60 dBFS, 54 dB above the +6 dBFS clamp headroom
 * (PN_INPUT_CLAMP), so loud but real audio never reaches it, while corrupt
 * buffers (uninitialised memory, integer PCM or bytes misread as float,
 * overflowed arithmetic) land far beyond it. Such samples are set to 0
 * instead of being clamped to a +6 dBFS burst.
 * A frame holding one is invalid. The features of step t look at input
 * frames t - 5 .. t only (band energies: frames t - 1, t; comb of the
 * enhanced frame t - 2: its window t - 3, t - 2 plus up to 960 samples back
 * and forward taps up to the newest sample; the 12 kHz pitch history:
 * 40 ms), so for PN_INVALID_HOLD steps from an invalid frame on the network
 * is not stepped: the raw gains, strengths and VAD of the last clean step are
 * used again and the network state (convolution history, GRUs) stays as it
 * was, so absurd input never reaches it and afterwards it goes on as if the
 * held steps had been cut out. (Stepping it on substitute features instead
 * would leave a trace in a GRU that remembers seconds.) The input level and
 * the noise estimate the features are relative to (level_track.h,
 * noise_track.h) skip the two analysis windows that contain the frame. The
 * signal path itself is unchanged (the zeros are rendered). */
#define PN_INVALID_ABS 1e3f
#define PN_INVALID_HOLD (PN_HIST / PN_FRAME) /* 6 steps */

struct PercepnetState {
  PnStft stft;
  PnBands bands;
  PnChannel in;
  PnChannel ref; /* clean reference, oracle mode only */
  PnFrontState front;
  PnFrontState ref_front; /* pitch of the clean reference (clean-pitch oracle) */
  PnNoiseTrack noise_kept; /* front.noise before a step whose windows hold
                              invalid samples (analyse()) */
  PnGainState gain_state;
  PnVadTarget vad_target;
  PnNet *net;
  const PercepnetModel *model;
  float atten_floor; /* linear gain floor, 0 = none */
  int oracle_comb; /* PERCEPNET_ORACLE_* */
  int stages;             /* PERCEPNET_STAGE_* flags left on (set_stages), or -1:
                             the mode's default (stages_of) */
  PnPitch pitch;          /* decision for the enhanced frame */
  int period;             /* rounded pitch.period */
  float feat[PN_FEATURES]; /* all of them; the network reads the first
                              pn_model_features() */
  float g_net[PN_BANDS];  /* raw network gains of the last clean step (st->g
                             becomes the final gains; r and vad stay as output) */
  int have_net;           /* g_net is set */
  int holding;            /* this step's features see an invalid frame */
  int invalid_left;       /* steps whose features still see an invalid frame */
  float g[PN_BANDS];      /* raw, then final gains */
  float r[PN_BANDS];
  float vad;
  kiss_fft_cpx Z[PN_FREQ];
  float ola[PN_FRAME];    /* second half of the previous synthesised frame */
  PercepnetFrameInfo info;
};

_Static_assert(PERCEPNET_FRAME_SIZE == PN_FRAME, "frame size");
_Static_assert(PERCEPNET_NB_BANDS == PN_BANDS, "band count");

const char *percepnet_strerror(int err) {
  switch (err) {
    case PERCEPNET_OK: return "success";
    case PERCEPNET_ERR_ALLOC: return "out of memory";
    case PERCEPNET_ERR_BAD_ARG: return "invalid argument";
    case PERCEPNET_ERR_MODEL_IO: return "model file cannot be opened or read";
    case PERCEPNET_ERR_MODEL_FORMAT: return "model file format error";
    case PERCEPNET_ERR_MODEL_VALUE: return "model holds an invalid value";
    case PERCEPNET_ERR_MODEL_SHAPE: return "model layer sizes do not fit the network";
    case PERCEPNET_ERR_CPU: return "instruction set not available on this machine";
    default: return "unknown error";
  }
}

const char *percepnet_version(void) { return PERCEPNET_VERSION; }

static void reset_state(PercepnetState *st) {
  pn_channel_reset(&st->in);
  pn_channel_reset(&st->ref);
  pn_front_state_reset(&st->front);
  pn_front_state_reset(&st->ref_front);
  pn_gains_reset(&st->gain_state);
  pn_vad_target_reset(&st->vad_target);
  memset(st->ola, 0, sizeof(st->ola));
  memset(&st->info, 0, sizeof(st->info));
  st->have_net = 0;
  st->holding = 0;
  st->invalid_left = 0;
  st->info.pitch_period = 240.0f;
  if (st->net) pn_net_reset(st->net);
}

PercepnetState *percepnet_create(const PercepnetModel *model, int *error) {
  PercepnetState *st;
  int err;
  if (!model) model = percepnet_model_default();
  err = pn_net_check_model(model->net); /* engine codes are the public ones */
  if (err == PERCEPNET_OK) err = percepnet_model_fits_chain(model->net);
  if (err != PERCEPNET_OK) {
    if (error) *error = err;
    return NULL;
  }
  st = calloc(1, sizeof(*st));
  if (!st || pn_stft_init(&st->stft) != PN_DSP_OK) {
    free(st);
    if (error) *error = PERCEPNET_ERR_ALLOC;
    return NULL;
  }
  st->net = pn_net_create(model->net, pn_cpu_detect());
  if (!st->net) {
    pn_stft_free(&st->stft);
    free(st);
    if (error) *error = PERCEPNET_ERR_ALLOC;
    return NULL;
  }
  st->model = model;
  st->oracle_comb = PERCEPNET_ORACLE_COMB;
  st->stages = -1;
  pn_bands_init(&st->bands);
  reset_state(st);
  if (error) *error = PERCEPNET_OK;
  return st;
}

void percepnet_destroy(PercepnetState *st) {
  if (!st) return;
  pn_net_destroy(st->net);
  pn_stft_free(&st->stft);
  free(st);
}

int percepnet_set_cpu(PercepnetState *st, int level) {
  if (!st) return PERCEPNET_ERR_BAD_ARG;
  return pn_net_set_cpu(st->net, level);
}

int percepnet_set_atten_limit(PercepnetState *st, float atten_db) {
  if (!st || atten_db != atten_db || atten_db < 0.0f) return PERCEPNET_ERR_BAD_ARG;
  st->atten_floor = (atten_db == 0.0f || isinf(atten_db)) ? 0.0f : powf(10.0f, -atten_db / 20.0f);
  return PERCEPNET_OK;
}

int percepnet_get_delay(const PercepnetState *st) { return st ? PN_DELAY : PERCEPNET_ERR_BAD_ARG; }

int percepnet_set_oracle_comb(PercepnetState *st, int comb) {
  if (!st || comb < PERCEPNET_ORACLE_NO_COMB || comb > PERCEPNET_ORACLE_CLEAN_PITCH)
    return PERCEPNET_ERR_BAD_ARG;
  st->oracle_comb = comb;
  return PERCEPNET_OK;
}

int percepnet_set_stages(PercepnetState *st, int stages) {
  if (!st || (stages & ~PERCEPNET_STAGE_ALL)) return PERCEPNET_ERR_BAD_ARG;
  st->stages = stages;
  return PERCEPNET_OK;
}

int percepnet_get_frame_info(const PercepnetState *st, PercepnetFrameInfo *info) {
  if (!st || !info) return PERCEPNET_ERR_BAD_ARG;
  *info = st->info;
  return PERCEPNET_OK;
}

/* x = in with samples that are not audio (PN_INVALID_ABS) set to 0;
 * returns how many there were. NaN fails every comparison. */
static int screen_input(const float *in, float *x) {
  int i, bad = 0;
  for (i = 0; i < PN_FRAME; i++) {
    int ok = fabsf(in[i]) <= PN_INVALID_ABS;
    x[i] = ok ? in[i] : 0.0f;
    bad += !ok;
  }
  return bad;
}

/* Steps 1-3 and the features of step 4; starts or counts down the hold
 * after invalid input. */
static void analyse(PercepnetState *st, const float *in) {
  float x[PN_FRAME];
  const PnLevelTrack level = st->front.level;
  int skip_refs;
  if (screen_input(in, x) > 0) st->invalid_left = PN_INVALID_HOLD;
  /* the level and noise references skip the analysis windows that hold
   * invalid samples (this step and the next): their valid-looking samples
   * (e.g. full-scale DC between NaNs in a corrupt buffer) would lift the
   * level within 100 ms, and it comes down only over seconds
   * (level_track.h); the noise estimate is kept out of them alike */
  skip_refs = st->invalid_left > PN_INVALID_HOLD - PN_WINDOW / PN_FRAME;
  if (skip_refs) st->noise_kept = st->front.noise;
  st->period = pn_frontend_step(&st->in, &st->front, &st->stft, &st->bands, x,
                                &st->pitch, st->feat);
  st->holding = st->invalid_left > 0;
  if (skip_refs) {
    st->front.level = level;
    st->front.noise = st->noise_kept;
  }
  if (st->holding) st->invalid_left--;
}

/* v clamped to [0, 1]; NaN gives 0. */
static float clamp01(float v) { return v >= 0.0f ? (v <= 1.0f ? v : 1.0f) : 0.0f; }

/* Step 4: st->g_net, st->r, st->vad from the network, copied to st->g. While
 * holding after an invalid frame (once the network has run on clean input)
 * the network is left as it was and the last clean step's outputs stay. */
static void run_net(PercepnetState *st) {
  if (!(st->holding && st->have_net)) {
    int b;
    pn_net_run(st->net, st->feat, st->g_net, st->r, &st->vad);
    /* the engine promises [0, 1]; keep the chain safe if it ever did not */
    for (b = 0; b < PN_BANDS; b++) {
      st->g_net[b] = clamp01(st->g_net[b]);
      st->r[b] = clamp01(st->r[b]);
    }
    if (!(st->vad >= 0.0f && st->vad <= 1.0f)) st->vad = 0.0f;
    st->have_net |= !st->holding;
  }
  memcpy(st->g, st->g_net, sizeof(st->g));
}

/* The stages in force: those of percepnet_set_stages(), else the default of
 * the mode (oracle: 1 for percepnet_process_oracle). */
static int stages_of(const PercepnetState *st, int oracle) {
  if (st->stages >= 0) return st->stages;
  return oracle ? PERCEPNET_STAGE_ORACLE_DEFAULT : PERCEPNET_STAGE_DEFAULT;
}

/* Step 5 on st->g, with E the band powers the postfilter weighs, for the
 * stages in force. */
static void finish_gains(PercepnetState *st, const float *E, int stages) {
  if (stages & PERCEPNET_STAGE_DECAY_LIMIT) pn_gains_decay_limit(&st->gain_state, st->g);
  if (stages & PERCEPNET_STAGE_POSTFILTER) pn_postfilter(&st->bands, E, st->g);
  pn_gains_floor(st->g, st->atten_floor);
}

/* Step 6 with st->g (final) and st->r (0 with the comb stage off); fills
 * the frame info. */
static void render(PercepnetState *st, float *out, int stages) {
  if (!(stages & PERCEPNET_STAGE_COMB)) memset(st->r, 0, sizeof(st->r));
  pn_mix_apply(&st->bands, pn_channel_spectrum(&st->in, PN_LOOKAHEAD), st->in.P,
               pn_channel_energy(&st->in, PN_LOOKAHEAD), st->in.EP, st->in.C, st->r,
               st->g, st->Z);
  /* out may be the caller's input buffer: analysis has consumed it */
  pn_stft_synthesise(&st->stft, st->Z, st->ola, out, PN_OUTPUT_CLAMP);
  memcpy(st->info.gain, st->g, sizeof(st->info.gain));
  memcpy(st->info.strength, st->r, sizeof(st->info.strength));
  st->info.vad = st->vad;
  st->info.pitch_period = (float)st->period;
  st->info.pitch_corr = st->pitch.corr;
  st->info.voiced = st->pitch.voiced;
}

int percepnet_process(PercepnetState *st, float *out, const float *in) {
  if (!st || !out || !in) return PERCEPNET_ERR_BAD_ARG;
  const int stages = stages_of(st, 0);
  analyse(st, in);
  run_net(st);
  finish_gains(st, pn_channel_energy(&st->in, PN_LOOKAHEAD), stages);
  render(st, out, stages);
  return PERCEPNET_OK;
}

/* Sample t (0 = newest) of the head's mirror image reflected back and
 * forth: head[t] for t < n, then period 2n with no jump anywhere. */
static float mirror_at(const float *head, long n, long t) {
  long u = t % (2 * n);
  return head[u < n ? u : 2 * n - 1 - u];
}

int percepnet_preroll(PercepnetState *st, const float *head, int n) {
  float frame[PN_FRAME], out[PN_FRAME];
  long t0;
  int i;
  if (!st || n < 0 || (n > 0 && !head)) return PERCEPNET_ERR_BAD_ARG;
  if (n > PERCEPNET_PREROLL_MAX) n = PERCEPNET_PREROLL_MAX;
  n -= n % PN_FRAME;
  if (n == 0) return PERCEPNET_OK;
  /* time order: t0 is the newest sample's distance from the start, minus 1.
   * The output is discarded, and the only state synthesis keeps (ola) is
   * the last synthesised frame's second half, so only the last frame is
   * rendered: the state afterwards is that of percepnet_process() on every
   * frame, bit for bit. */
  for (t0 = PERCEPNET_PREROLL_SPAN - PN_FRAME; t0 >= 0; t0 -= PN_FRAME) {
    for (i = 0; i < PN_FRAME; i++) frame[i] = mirror_at(head, n, t0 + PN_FRAME - 1 - i);
    if (t0 == 0) {
      percepnet_process(st, out, frame);
    } else {
      analyse(st, frame);
      run_net(st);
      finish_gains(st, pn_channel_energy(&st->in, PN_LOOKAHEAD), stages_of(st, 0));
    }
  }
  return PERCEPNET_OK;
}

int pn_process_fixed(PercepnetState *st, float *out, const float *in,
                     const float *gains, const float *strengths) {
  int b;
  if (!st || !out || !in || !gains || !strengths) return PERCEPNET_ERR_BAD_ARG;
  analyse(st, in);
  for (b = 0; b < PN_BANDS; b++) {
    st->g[b] = clamp01(gains[b]);
    st->r[b] = clamp01(strengths[b]);
  }
  st->vad = 0.0f;
  const int stages = stages_of(st, 0);
  finish_gains(st, pn_channel_energy(&st->in, PN_LOOKAHEAD), stages);
  render(st, out, stages);
  return PERCEPNET_OK;
}

int percepnet_process_linked(PercepnetState *const *st, int n,
                             float *const *out, const float *const *in) {
  float g[PN_BANDS], E[PN_BANDS];
  int c, b;
  if (!st || !out || !in || n < 1) return PERCEPNET_ERR_BAD_ARG;
  for (c = 0; c < n; c++)
    if (!st[c] || !out[c] || !in[c] || st[c]->model != st[0]->model)
      return PERCEPNET_ERR_BAD_ARG;
  for (b = 0; b < PN_BANDS; b++) g[b] = E[b] = 0.0f;
  for (c = 0; c < n; c++) {
    const float *Ec;
    analyse(st[c], in[c]);
    run_net(st[c]);
    Ec = pn_channel_energy(&st[c]->in, PN_LOOKAHEAD);
    for (b = 0; b < PN_BANDS; b++) {
      if (st[c]->g[b] > g[b]) g[b] = st[c]->g[b];
      E[b] += Ec[b];
    }
  }
  /* one set of final gains, kept in the first state's decay memory */
  memcpy(st[0]->g, g, sizeof(g));
  finish_gains(st[0], E, stages_of(st[0], 0));
  for (c = 0; c < n; c++) {
    if (c > 0) {
      memcpy(st[c]->g, st[0]->g, sizeof(g));
      memcpy(st[c]->gain_state.prev, st[0]->gain_state.prev, sizeof(g));
    }
    render(st[c], out[c], stages_of(st[c], 0));
  }
  return PERCEPNET_OK;
}

int percepnet_process_oracle(PercepnetState *st, float *out, const float *noisy,
                             const float *clean) {
  const float *Ey, *Ex;
  float v;
  if (!st || !out || !noisy || !clean) return PERCEPNET_ERR_BAD_ARG;
  analyse(st, noisy);
  pn_channel_push(&st->ref, &st->stft, &st->bands, clean);
  if (st->oracle_comb == PERCEPNET_ORACLE_CLEAN_PITCH) {
    /* the clean reference's pitch drives both combs (the noisy one again) */
    PnPitchCands cands;
    PnPitch clean_pitch;
    int period;
    pn_pitch_search_frame(&st->ref_front.search, st->ref.hist + PN_HIST - PN_FRAME, &cands);
    pn_pitch_track_push(&st->ref_front.track, &cands, &clean_pitch);
    period = (int)lrintf(clean_pitch.period);
    if (period < PN_PERIOD_MIN) period = PN_PERIOD_MIN;
    if (period > PN_PERIOD_MAX) period = PN_PERIOD_MAX;
    st->period = period;
    st->pitch = clean_pitch;
    pn_channel_comb(&st->in, &st->stft, &st->bands, period);
  }
  pn_channel_comb(&st->ref, &st->stft, &st->bands, st->period);
  Ey = pn_channel_energy(&st->in, PN_LOOKAHEAD);
  Ex = pn_channel_energy(&st->ref, PN_LOOKAHEAD);
  if (st->oracle_comb != PERCEPNET_ORACLE_NO_COMB) {
    pn_targets_compute(Ey, Ex, st->in.coh, st->ref.coh, st->period, st->g, st->r);
  } else {
    pn_targets_gain_only(Ey, Ex, st->g);
    memset(st->r, 0, sizeof(st->r));
  }
  {
    int b;
    float power = 0.0f;
    for (b = 0; b < PN_BANDS; b++) power += Ex[b] * st->bands.wsum[b];
    v = pn_vad_target(&st->vad_target, power / PN_FREQ);
  }
  st->vad = v < 0.0f ? 0.5f : v;
  const int stages = stages_of(st, 1);
  finish_gains(st, Ey, stages);
  render(st, out, stages);
  return PERCEPNET_OK;
}
