/* dump_mix.c - one training sequence (noisy input + clean target); see
 * dump_mix.h for the recipe. */
#include "dump_mix.h"

#include <assert.h>
#include <math.h>
#include <samplerate.h>
#include <stdlib.h>
#include <string.h>

#include "dump_filters.h"
#include "dump_hold.h"
#include "dump_noise.h"

#define FS 48000.0
#define NO_CUTOFF_HZ 24000.0f

void mix_default_options(MixOptions *o) {
  o->p_clean_only = 0.15;
  o->p_noise_only = 0.04;
  o->snr_min_db = -5;
  o->snr_max_db = 40;
  o->level_min_db = -45;
  o->level_max_db = 0;
  o->p_reverb = 0.35;
  o->p_dereverb = 0.0;
  o->p_noise_tail = 0.25;
  o->rt60_min_s = 0.1;
  o->rt60_max_s = 1.0;
  o->p_band_limit = 0.25;
  o->p_clip = 0.06;
  o->p_quantise = 0.2;
  o->p_onset_delay = 0.3;
  o->p_real_noise = 0.55;
  o->p_babble = 0.12;
  o->p_coloured = 0.13;
  o->rumble_floor_hz = 5.0;
  o->p_modulated = 0.0;
  o->p_hum = 0.07;
  o->p_second_noise = 0.2;
  o->p_speed = 0.5;
  o->speed_min = 0.89; /* -2 semitones */
  o->speed_max = 1.12; /* +2 semitones */
  o->p_hold = 0.0;
  o->hold_min_s = 0.3;
  o->hold_max_s = 1.5;
}

/* Sets *share (one of the noise kinds' shares in o) to p and scales every
 * other kind's share but *held (NULL: none) by one factor, fan noise's
 * implicit share included, so that all still sum to 1. */
static void set_share(MixOptions *o, double *share, double p, const double *held) {
  const double fixed = held ? *held : 0.0;
  const double others = 1.0 - fixed - *share;
  const double k = others > 0.0 ? (1.0 - fixed - p) / others : 0.0;
  double *const kinds[] = {&o->p_real_noise, &o->p_babble, &o->p_coloured, &o->p_hum};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (kinds[i] != share && kinds[i] != held) *kinds[i] *= k;
  *share = p;
}

void mix_set_coloured_share(MixOptions *o, double p) { set_share(o, &o->p_coloured, p, NULL); }

void mix_set_babble_share(MixOptions *o, double p, int keep_coloured) {
  set_share(o, &o->p_babble, p, keep_coloured ? &o->p_coloured : NULL);
}

/* Samples the resampler reads past the end of a sped-up talker's stream */
#define SPEED_LOOKAHEAD ((int)(0.1 * FS))

/* Samples of the talker's stream before a tape-speed change of at most
 * speed_max, with the resampler's look-ahead. */
static int speed_src_len(const MixOptions *o, int len) {
  const double top = o->speed_max > 1.0 ? o->speed_max : 1.0;
  return (int)ceil(len * top) + SPEED_LOOKAHEAD;
}

int mixer_create(Mixer *m, const Corpus *speech, const Corpus *noise, const MixOptions *o,
                 int len) {
  memset(m, 0, sizeof *m);
  m->speech = speech;
  m->noise = noise;
  m->opt = *o;
  m->len = len;
  if (dfft_create(&m->fft, len, RIR_MAX_LEN) != 0) return -1;
  float **bufs[] = {&m->speech_buf, &m->target, &m->noisy, &m->noise_buf, &m->noise2, &m->tmp};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
    *bufs[i] = calloc((size_t)len, sizeof(float));
    if (!*bufs[i]) goto fail;
  }
  m->rir_full = calloc(RIR_MAX_LEN, sizeof(float));
  m->rir_early = calloc(RIR_MAX_LEN, sizeof(float));
  m->frame_pow = calloc((size_t)(len / 480 + 1), sizeof(double));
  m->speed_src = calloc((size_t)speed_src_len(o, len), sizeof(float));
  if (!m->rir_full || !m->rir_early || !m->frame_pow || !m->speed_src) goto fail;
  return 0;
fail:
  mixer_destroy(m);
  return -1;
}

void mixer_destroy(Mixer *m) {
  dfft_destroy(&m->fft);
  free(m->speech_buf);
  free(m->target);
  free(m->noisy);
  free(m->noise_buf);
  free(m->noise2);
  free(m->tmp);
  free(m->rir_full);
  free(m->rir_early);
  free(m->frame_pow);
  free(m->speed_src);
  memset(m, 0, sizeof *m);
}

/* Fills buf[0..len) with zeros up to `start`, then with corpus pieces
 * separated by gaps drawn in [gap_min_s, gap_max_s]. The first piece starts
 * at a random offset inside it; it is redrawn (up to 4 times) while it
 * belongs to speaker avoid_spk. With same_speaker, the following pieces come
 * from the first piece's speaker (one talker per stream, and one bandwidth
 * class: mixing in a narrowband talker would mask the bands above it for the
 * whole sequence). *bw (when not NULL) gets min(*bw, piece bandwidths);
 * *first_spk the first piece's speaker. */
static void fill_stream(const Corpus *c, DumpRng *r, float *buf, int len, int start,
                        double gap_min_s, double gap_max_s, int avoid_spk, int same_speaker,
                        float *bw, int *first_spk) {
  memset(buf, 0, sizeof *buf * (size_t)len);
  int pos = start, first = 1, spk = -1;
  while (pos < len) {
    int p;
    if (first) {
      p = corpus_pick(c, r);
      for (int t = 0; t < 4 && avoid_spk >= 0 && c->pieces[p].speaker == avoid_spk; t++)
        p = corpus_pick(c, r);
      if (same_speaker) spk = c->pieces[p].speaker;
    } else {
      p = corpus_pick_speaker(c, r, spk);
    }
    const CorpusPiece *pc = &c->pieces[p];
    int64_t off = first ? (int64_t)rng_below(r, (uint64_t)pc->length) : 0;
    int64_t take = pc->length - off;
    if (take > len - pos) take = len - pos;
    assert(pc->offset + off + take <= c->n_samples);
    memcpy(buf + pos, c->samples + pc->offset + off, sizeof *buf * (size_t)take);
    if (bw && pc->bandwidth_hz < *bw) *bw = pc->bandwidth_hz;
    if (first && first_spk) *first_spk = pc->speaker;
    first = 0;
    pos += (int)take + (int)(rng_range(r, gap_min_s, gap_max_s) * FS);
  }
}

static double mean_power(const float *x, int n) {
  double e = 0;
  for (int i = 0; i < n; i++) e += (double)x[i] * x[i];
  return n > 0 ? e / n : 0.0;
}

/* Active power: mean power of the 10 ms frames within 30 dB of the
 * loudest (a simple stand-in for the ITU-T P.56 active speech level). */
static double active_power(Mixer *m, const float *x, int n) {
  const int nf = n / 480;
  double mx = 0;
  for (int f = 0; f < nf; f++) {
    m->frame_pow[f] = mean_power(x + 480 * f, 480);
    if (m->frame_pow[f] > mx) mx = m->frame_pow[f];
  }
  double sum = 0;
  int cnt = 0;
  for (int f = 0; f < nf; f++)
    if (m->frame_pow[f] >= mx * 1e-3) {
      sum += m->frame_pow[f];
      cnt++;
    }
  return cnt ? sum / cnt : 0.0;
}

static void normalise_rms(float *x, int n, double target_rms) {
  const double p = mean_power(x, n);
  if (p <= 1e-20) return;
  const float g = (float)(target_rms / sqrt(p));
  for (int i = 0; i < n; i++) x[i] *= g;
}

/* One noise of a random kind into out[0..len); returns its kind bits (the
 * modulated bit with the coloured one). */
static int gen_noise(Mixer *m, DumpRng *r, float *out, int main_spk) {
  const MixOptions *o = &m->opt;
  const int len = m->len;
  double u = rng_uniform(r);
  if (u < o->p_real_noise && m->noise->n_pieces > 0) {
    fill_stream(m->noise, r, out, len, 0, 0.0, 0.0, -1, 0, NULL, NULL);
    return 1;
  }
  u -= o->p_real_noise;
  if (u < o->p_babble) {
    const int k = 3 + (int)rng_below(r, 6);
    memset(out, 0, sizeof *out * (size_t)len);
    for (int s = 0; s < k; s++) {
      fill_stream(m->speech, r, m->tmp, len, 0, 0.05, 0.5, main_spk, 1, NULL, NULL);
      normalise_rms(m->tmp, len, pow(10.0, rng_range(r, -6, 0) / 20.0));
      for (int i = 0; i < len; i++) out[i] += m->tmp[i];
    }
    return 2;
  }
  u -= o->p_babble;
  if (u < o->p_coloured) {
    /* exponents past brown and floors near DC: rumble (wind, traffic, handling)
     * whose power lies mostly below the speech bands */
    const double beta = rng_range(r, 0, 2.5);
    const double flat_below_hz = exp(rng_range(r, log(o->rumble_floor_hz), log(RUMBLE_FLOOR_MAX_HZ)));
    noise_coloured(r, &m->fft, out, len, beta, flat_below_hz);
    /* no draw at p_modulated 0: the dumps made before it stay the same */
    if (o->p_modulated > 0.0 && rng_chance(r, o->p_modulated)) {
      noise_modulate(r, out, len);
      return 4 | 32;
    }
    return 4;
  }
  u -= o->p_coloured;
  if (u < o->p_hum) {
    noise_hum(r, &m->fft, out, len);
    return 8;
  }
  noise_fan(r, &m->fft, out, len);
  return 16;
}

/* The talker's stream into speech_buf[0..stop) as a tape played `speed`
 * times faster: stop * speed samples of it (from onset * speed on), then
 * libsamplerate from 48 kHz * speed to 48 kHz. Frequencies scale by speed,
 * so the bandwidth does too (capped at Nyquist). 0 on success. */
static int talker_at_speed(Mixer *m, DumpRng *r, int stop, int onset, float speed, float *bw,
                           int *main_spk) {
  const int n_src = (int)ceil(stop * (double)speed) + SPEED_LOOKAHEAD;
  assert(n_src <= speed_src_len(&m->opt, m->len));
  fill_stream(m->speech, r, m->speed_src, n_src, (int)(onset * (double)speed), 0.05, 1.2, -1, 1,
              bw, main_spk);
  SRC_DATA d;
  memset(&d, 0, sizeof d);
  d.data_in = m->speed_src;
  d.input_frames = n_src;
  d.data_out = m->speech_buf;
  d.output_frames = stop;
  d.src_ratio = 1.0 / speed;
  if (src_simple(&d, SRC_SINC_FASTEST, 1) != 0) return -1;
  if (d.output_frames_gen < stop)
    memset(m->speech_buf + d.output_frames_gen, 0,
           sizeof(float) * (size_t)(stop - d.output_frames_gen));
  *bw *= speed;
  if (*bw > NO_CUTOFF_HZ) *bw = NO_CUTOFF_HZ;
  return 0;
}

static float brickwall_gain(float f_hz, const void *ctx) {
  return f_hz < *(const float *)ctx ? 1.0f : 0.0f;
}

void mixer_draw(Mixer *m, DumpRng *r, MixInfo *info) {
  const MixOptions *o = &m->opt;
  const int len = m->len;
  memset(info, 0, sizeof *info);
  double u = rng_uniform(r);
  info->kind = u < o->p_clean_only ? 1 : (u < o->p_clean_only + o->p_noise_only ? 2 : 0);
  info->snr_db = (float)rng_range(r, o->snr_min_db, o->snr_max_db);
  float bw = NO_CUTOFF_HZ;
  int main_spk = -1;

  /* speech: noisy holds the (reverberant) speech, target the direct part */
  if (info->kind != 2) {
    int onset = 0;
    if (rng_chance(r, o->p_onset_delay)) onset = (int)(rng_range(r, 0, 3.0) * FS);
    if (onset > len / 3) onset = len / 3;
    /* a noise tail: the talker stops 2-6 s before the end (at most 3/4 of
     * the sequence), so the network also learns how noise alone continues
     * after speech (VAD and gains falling back) */
    int stop = len;
    if (rng_chance(r, o->p_noise_tail)) {
      int tail = (int)(rng_range(r, 2.0, 6.0) * FS);
      if (tail > 3 * len / 4 - onset) tail = 3 * len / 4 - onset;
      if (tail > 0) stop = len - tail;
      info->tail_s = (float)((len - stop) / FS);
    }
    info->speed = 1.0f;
    if (rng_chance(r, o->p_speed))
      info->speed = (float)exp(rng_range(r, log(o->speed_min), log(o->speed_max)));
    /* as recorded, also when the resampler fails */
    if (info->speed == 1.0f || talker_at_speed(m, r, stop, onset, info->speed, &bw, &main_spk)) {
      info->speed = 1.0f;
      fill_stream(m->speech, r, m->speech_buf, stop, onset, 0.05, 1.2, -1, 1, &bw, &main_spk);
    }
    /* no draw at all when p_hold is 0: dumps without holds stay as before */
    if (o->p_hold > 0.0 && rng_chance(r, o->p_hold)) {
      const int holds = 1 + (int)rng_below(r, 2);
      int from = 0; /* a second hold comes after the first */
      for (int h = 0; h < holds; h++)
        info->hold_s += (float)hold_vowel(r, m->speech_buf, stop, m->tmp,
                                          rng_range(r, o->hold_min_s, o->hold_max_s), from,
                                          &from) / FS;
    }
    if (stop < len) {
      const int fade = (int)(0.02 * FS) < stop ? (int)(0.02 * FS) : stop;
      for (int i = 0; i < fade; i++) m->speech_buf[stop - fade + i] *= (float)(fade - i) / fade;
      memset(m->speech_buf + stop, 0, sizeof(float) * (size_t)(len - stop));
    }
    random_colouration(r, m->speech_buf, len);
    if (rng_chance(r, o->p_reverb)) {
      RirInfo ri;
      rir_generate(r, (float)o->rt60_min_s, (float)o->rt60_max_s, m->rir_full, m->rir_early, &ri);
      /* the target keeps the room (real "clean" recordings carry theirs)
       * unless this sequence teaches dereverberation (p_dereverb) */
      const int dereverb = rng_chance(r, o->p_dereverb);
      dfft_convolve2(&m->fft, m->speech_buf, len, m->rir_full, ri.n_full, m->noisy,
                     dereverb ? m->rir_early : m->rir_full,
                     dereverb ? ri.n_early : ri.n_full, m->target);
      info->dereverb = dereverb;
      /* both responses put the direct path at RIR_DIRECT_AT: shift back so
       * the target stays aligned with the dry speech timeline */
      memmove(m->noisy, m->noisy + RIR_DIRECT_AT, sizeof(float) * (size_t)(len - RIR_DIRECT_AT));
      memmove(m->target, m->target + RIR_DIRECT_AT,
              sizeof(float) * (size_t)(len - RIR_DIRECT_AT));
      memset(m->noisy + len - RIR_DIRECT_AT, 0, sizeof(float) * RIR_DIRECT_AT);
      memset(m->target + len - RIR_DIRECT_AT, 0, sizeof(float) * RIR_DIRECT_AT);
      info->rt60_s = ri.rt60_s;
    } else {
      memcpy(m->noisy, m->speech_buf, sizeof(float) * (size_t)len);
      memcpy(m->target, m->speech_buf, sizeof(float) * (size_t)len);
    }
  } else {
    memset(m->noisy, 0, sizeof(float) * (size_t)len);
    memset(m->target, 0, sizeof(float) * (size_t)len);
  }

  /* noise */
  if (info->kind != 1) {
    info->noise_kind = gen_noise(m, r, m->noise_buf, main_spk);
    random_colouration(r, m->noise_buf, len);
    if (rng_chance(r, o->p_second_noise)) {
      int k2 = gen_noise(m, r, m->noise2, main_spk);
      random_colouration(r, m->noise2, len);
      normalise_rms(m->noise2, len,
                    sqrt(mean_power(m->noise_buf, len)) * pow(10.0, rng_range(r, -10, 0) / 20.0));
      for (int i = 0; i < len; i++) m->noise_buf[i] += m->noise2[i];
      info->noise_kind |= k2;
    }
    if (rng_chance(r, 0.2)) { /* slow level ramp, +-10 dB over the sequence */
      const double g0 = rng_range(r, -10, 10), g1 = rng_range(r, -10, 10);
      for (int i = 0; i < len; i++)
        m->noise_buf[i] *= (float)pow(10.0, (g0 + (g1 - g0) * i / len) / 20.0);
    }
    double g = 1.0;
    const double pn = mean_power(m->noise_buf, len);
    if (info->kind == 0 && pn > 1e-20) {
      const double ps = active_power(m, m->noisy, len);
      if (ps > 1e-20) g = sqrt(ps / (pn * pow(10.0, info->snr_db / 10.0)));
    }
    for (int i = 0; i < len; i++) m->noisy[i] += (float)(g * m->noise_buf[i]);
  }

  /* channel */
  info->cutoff_hz = NO_CUTOFF_HZ;
  if (rng_chance(r, o->p_band_limit)) {
    float fc = (float)exp(rng_range(r, log(3500.0), log(16000.0)));
    if (rng_chance(r, 0.5)) {
      dfft_shape(&m->fft, m->noisy, len, brickwall_gain, &fc);
      dfft_shape(&m->fft, m->target, len, brickwall_gain, &fc);
    } else {
      lowpass_steep(m->noisy, len, fc);
      lowpass_steep(m->target, len, fc);
    }
    info->cutoff_hz = fc;
  }
  info->band_limit_hz = bw < info->cutoff_hz ? bw : info->cutoff_hz;

  float peak = 0;
  for (int i = 0; i < len; i++) {
    float a = fabsf(m->noisy[i]);
    if (a > peak) peak = a;
  }
  info->level_db = (float)rng_range(r, o->level_min_db, o->level_max_db);
  const int clip = rng_chance(r, o->p_clip);
  /* Clipping drives the input's peak 1-6 dB over full scale (instead of the
   * drawn level): at most 6 dB, so the target (scaled alike, never clipped)
   * stays within the signal chain's input clamp of +-2 (PN_INPUT_CLAMP). */
  const double over_db = rng_range(r, 1, 6);
  if (clip) info->level_db = (float)over_db;
  const double scale = peak > 1e-9f ? pow(10.0, info->level_db / 20.0) / peak : 1.0;
  for (int i = 0; i < len; i++) {
    m->noisy[i] *= (float)scale;
    m->target[i] *= (float)scale;
  }
  if (clip) info->clipped = clip_hard(m->noisy, len, 1.0f);
  if (rng_chance(r, o->p_quantise)) {
    quantise16(m->noisy, len);
    info->quantised = 1;
  }
}
