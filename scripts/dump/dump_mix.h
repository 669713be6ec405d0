/*
 * dump_mix.h - builds one training sequence: a noisy input and its clean
 * target, 48 kHz, `len` samples, from a speech and a noise corpus plus
 * generated noises and rooms, every choice drawn from the caller's PRNG.
 *
 * Recipe (probabilities in MixOptions):
 *  kind: clean only / noise only / speech + noise at an SNR in
 *    [snr_min, snr_max] dB (active speech power of the reverberant speech
 *    over mean noise power);
 *  speech: one speaker per sequence: a random piece (weighted by length,
 *    full-band pieces boosted: corpus_weight) from a random offset, then
 *    more pieces of that speaker, joined with 0.05-1.2 s pauses, optionally starting late (onset delay up
 *    to 3 s); random colouration (tilt, peak, high-pass); reverberation from
 *    a generated room, the target keeping the whole room (or, with
 *    p_dereverb, only the direct path + first 10 ms); sometimes the talker
 *    stops 2-6 s before the end (p_noise_tail); sometimes a tape-speed
 *    change of the talker (p_speed), its bandwidth scaled with it;
 *    sometimes held vowels (p_hold: a voiced moment lengthened at a steady
 *    pitch, dump_hold.h);
 *  noise: a real recording (chained pieces), babble of 3-8 streams of
 *    other speakers, coloured (white..beyond brown, slope exponent 0-2.5,
 *    flat below 5-40 Hz, or from rumble_floor_hz up: rumble down to near DC;
 *    p_modulated of them with fast random amplitude swings: water, rain,
 *    gusts), hum, or fan noise, sometimes
 *    two of them; its own random colouration; sometimes a slow level ramp;
 *  channel: band-limiting (steep IIR or FFT brick-wall low-pass at a random
 *    cutoff) of input and target; level so that the input peaks at
 *    level_min..level_max dBFS; sometimes clipping (peak driven 1-6 dB over
 *    full scale, the target left unclipped); sometimes 16-bit quantisation.
 * band_limit_hz = min(bandwidth of every speech piece used, cutoff).
 */
#ifndef DUMP_MIX_H
#define DUMP_MIX_H

#include "dump_corpus.h"
#include "dump_fft.h"
#include "dump_rir.h"
#include "dump_rng.h"

/* the top of the range the coloured noise's flat floor is drawn from */
#define RUMBLE_FLOOR_MAX_HZ 40.0

typedef struct {
  double p_clean_only, p_noise_only;
  double snr_min_db, snr_max_db;
  double level_min_db, level_max_db; /* peak of the noisy input, dBFS */
  double p_reverb, rt60_min_s, rt60_max_s;
  double p_dereverb;   /* of the reverberated: target = direct path + 10 ms */
  double p_noise_tail; /* of those with speech: speech stops 2-6 s early */
  double p_band_limit, p_clip, p_quantise, p_onset_delay;
  double p_real_noise, p_babble, p_coloured, p_hum; /* rest: fan */
  /* coloured noise is flat below a frequency drawn log-uniformly in
   * [rumble_floor_hz, 40] Hz; the lower it goes, the more of a steep slope's
   * power lies in slow, sub-audio swings (rumble, wind, handling) */
  double rumble_floor_hz;
  /* of the coloured noises: fast random amplitude swings (noise_modulate:
   * water, rain, gusts) */
  double p_modulated;
  double p_second_noise;
  /* of those with speech: the talker is resampled as a tape played at a
   * speed drawn log-uniformly in [speed_min, speed_max] (pitch, formants and
   * tempo move together: a new voice from the same recordings) */
  double p_speed, speed_min, speed_max;
  /* of those with speech: 1-2 voiced moments of the talker are held for
   * hold_min_s..hold_max_s each (dump_hold.h) */
  double p_hold, hold_min_s, hold_max_s;
} MixOptions;

void mix_default_options(MixOptions *o);
/* Sets the share of generated coloured noise among the noise kinds to p
 * (0..1), scaling the other kinds' shares (fan noise included) so that all
 * still sum to 1. */
void mix_set_coloured_share(MixOptions *o, double p);
/* Sets the share of babble (3-8 other talkers of the speech corpus) to p
 * (0..1), scaling real noise, hum, fan noise and, unless keep_coloured,
 * coloured noise to fill the rest; with keep_coloured, p + o->p_coloured
 * must be at most 1. Not called, the shares stay those of
 * mix_default_options and mix_set_coloured_share, so earlier dumps are made
 * again unchanged. */
void mix_set_babble_share(MixOptions *o, double p, int keep_coloured);

typedef struct {
  int kind;            /* 0 speech + noise, 1 clean only, 2 noise only */
  int noise_kind;      /* bit mask: 1 real, 2 babble, 4 coloured, 8 hum, 16 fan,
                          32 coloured with fast amplitude swings (--p-modulated) */
  float snr_db;        /* drawn SNR (meaningless for kinds 1, 2) */
  float level_db;      /* peak of the noisy input before clipping, dBFS (> 0 when clipped) */
  float band_limit_hz; /* passed to percepnet_train_frame */
  float cutoff_hz;     /* channel low-pass, 24000 when none */
  float rt60_s;        /* 0 when dry */
  int dereverb;        /* 1 when the target is the direct path + 10 ms only */
  float tail_s;        /* noise-only tail after the speech, s (0: none) */
  float speed;         /* talker's tape-speed factor (1: unchanged) */
  float hold_s;        /* seconds of held vowels added (0: none) */
  int clipped, quantised;
} MixInfo;

typedef struct {
  const Corpus *speech, *noise; /* noise may have 0 pieces: generated only */
  MixOptions opt;
  int len;
  DumpFft fft;
  float *speech_buf, *target, *noisy, *noise_buf, *noise2, *tmp, *rir_full, *rir_early;
  float *speed_src; /* the talker before resampling (len * speed_max + 1 s) */
  double *frame_pow; /* len / 480 + 1 */
} Mixer;

int mixer_create(Mixer *m, const Corpus *speech, const Corpus *noise, const MixOptions *o,
                 int len);
void mixer_destroy(Mixer *m);
/* Draws one sequence: m->noisy and m->target hold len samples afterwards. */
void mixer_draw(Mixer *m, DumpRng *r, MixInfo *info);

#endif
