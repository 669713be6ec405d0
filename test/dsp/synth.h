/*
 * synth.h - deterministic test signals for the DSP tests and benchmark:
 * harmonic "voiced" tones with jitter and glides, white noise from a seeded
 * xorshift generator, and SNR mixing.
 */
#ifndef TEST_DSP_SYNTH_H
#define TEST_DSP_SYNTH_H

#include <math.h>
#include <stdint.h>

typedef struct {
  uint64_t s;
} SynthRng;

static inline double synth_uniform(SynthRng *r) { /* [0, 1) */
  r->s ^= r->s << 13;
  r->s ^= r->s >> 7;
  r->s ^= r->s << 17;
  return (double)(r->s >> 11) / 9007199254740992.0;
}

static inline double synth_gauss(SynthRng *r) {
  double u1 = synth_uniform(r), u2 = synth_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/*
 * Voiced signal: harmonics h = first_h .. while h f0 < fmax, amplitude
 * 1 / h (a -6 dB/octave tilt), f0(t) gliding exponentially from f0a to f0b
 * over n samples, with per-period cycle jitter (relative std jitter).
 * f0_out[i] (optional) receives the true f0 in Hz at sample i.
 */
static inline void synth_voiced(float *x, double *f0_out, int n, double f0a,
                                double f0b, double jitter, int first_h,
                                double fmax, double amp, SynthRng *rng) {
  double phase = 0.0, jit = 1.0;
  int i, h;
  for (i = 0; i < n; i++) {
    double f0 = f0a * pow(f0b / f0a, (double)i / n);
    double s = 0.0, norm = 0.0;
    double f = f0 * jit;
    for (h = first_h; h * f < fmax; h++) {
      s += sin(h * phase) / h;
      norm += 0.5 / ((double)h * h);
    }
    x[i] = (float)(amp * s / sqrt(norm > 0 ? norm : 1.0));
    if (f0_out) f0_out[i] = f;
    phase += 6.283185307179586 * f / 48000.0;
    if (phase >= 6.283185307179586) {
      phase -= 6.283185307179586;
      jit = 1.0 + jitter * synth_gauss(rng);
    }
  }
}

static inline double synth_power(const float *x, int n) {
  double e = 0.0;
  int i;
  for (i = 0; i < n; i++) e += (double)x[i] * x[i];
  return e / (n > 0 ? n : 1);
}

/* noisy = clean + white noise scaled to snr_db over the whole signal. */
static inline void synth_add_noise(const float *clean, float *noisy, int n,
                                   double snr_db, SynthRng *rng) {
  double p = synth_power(clean, n);
  double sd = sqrt(p / pow(10.0, snr_db / 10.0));
  int i;
  for (i = 0; i < n; i++) noisy[i] = clean[i] + (float)(sd * synth_gauss(rng));
}

#endif
