/* dump_filters.c - biquads and channel effects; see dump_filters.h. */
#include "dump_filters.h"

#include <assert.h>
#include <math.h>

#define FS 48000.0
#define TWO_PI 6.283185307179586

static double clamp_f0(double f0) { return f0 < 10.0 ? 10.0 : (f0 > 0.45 * FS ? 0.45 * FS : f0); }

static Biquad normalise(double b0, double b1, double b2, double a0, double a1, double a2) {
  Biquad b = {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
  return b;
}

Biquad bq_peak(double f0, double gain_db, double q) {
  double A = pow(10.0, gain_db / 40.0), w = TWO_PI * clamp_f0(f0) / FS;
  double alpha = sin(w) / (2.0 * q), c = cos(w);
  return normalise(1 + alpha * A, -2 * c, 1 - alpha * A, 1 + alpha / A, -2 * c, 1 - alpha / A);
}

/* Shelves with slope S = 1. */
Biquad bq_high_shelf(double f0, double gain_db) {
  double A = pow(10.0, gain_db / 40.0), w = TWO_PI * clamp_f0(f0) / FS;
  double c = cos(w), alpha = sin(w) / 2.0 * sqrt(2.0), sa = 2.0 * sqrt(A) * alpha;
  return normalise(A * ((A + 1) + (A - 1) * c + sa), -2 * A * ((A - 1) + (A + 1) * c),
                   A * ((A + 1) + (A - 1) * c - sa), (A + 1) - (A - 1) * c + sa,
                   2 * ((A - 1) - (A + 1) * c), (A + 1) - (A - 1) * c - sa);
}

Biquad bq_low_shelf(double f0, double gain_db) {
  double A = pow(10.0, gain_db / 40.0), w = TWO_PI * clamp_f0(f0) / FS;
  double c = cos(w), alpha = sin(w) / 2.0 * sqrt(2.0), sa = 2.0 * sqrt(A) * alpha;
  return normalise(A * ((A + 1) - (A - 1) * c + sa), 2 * A * ((A - 1) - (A + 1) * c),
                   A * ((A + 1) - (A - 1) * c - sa), (A + 1) + (A - 1) * c + sa,
                   -2 * ((A - 1) + (A + 1) * c), (A + 1) + (A - 1) * c - sa);
}

Biquad bq_lowpass(double f0, double q) {
  double w = TWO_PI * clamp_f0(f0) / FS, c = cos(w), alpha = sin(w) / (2.0 * q);
  return normalise((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad bq_highpass(double f0, double q) {
  double w = TWO_PI * clamp_f0(f0) / FS, c = cos(w), alpha = sin(w) / (2.0 * q);
  return normalise((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad bq_bandpass(double f0, double q) {
  double w = TWO_PI * clamp_f0(f0) / FS, c = cos(w), alpha = sin(w) / (2.0 * q);
  return normalise(alpha, 0, -alpha, 1 + alpha, -2 * c, 1 - alpha);
}

void bq_apply(const Biquad *b, float *x, int n) {
  double s1 = 0, s2 = 0; /* transposed direct form II state */
  for (int i = 0; i < n; i++) {
    double in = x[i], out = b->b0 * in + s1;
    s1 = b->b1 * in - b->a1 * out + s2;
    s2 = b->b2 * in - b->a2 * out;
    x[i] = (float)out;
  }
}

double bq_magnitude(const Biquad *b, double f_hz) {
  double w = TWO_PI * f_hz / FS;
  double nr = b->b0 + b->b1 * cos(w) + b->b2 * cos(2 * w);
  double ni = -b->b1 * sin(w) - b->b2 * sin(2 * w);
  double dr = 1 + b->a1 * cos(w) + b->a2 * cos(2 * w);
  double di = -b->a1 * sin(w) - b->a2 * sin(2 * w);
  return sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

static double log_uniform(DumpRng *r, double lo, double hi) {
  return exp(rng_range(r, log(lo), log(hi)));
}

int random_colouration(DumpRng *r, float *x, int n) {
  int count = 0;
  /* Draw every parameter whatever is applied, so the PRNG stream does not
   * depend on earlier choices (easier to reason about reproducibility). */
  double tilt_f = log_uniform(r, 500, 4000), tilt_db = rng_range(r, -12, 9);
  double pk_f = log_uniform(r, 80, 12000), pk_db = rng_range(r, -12, 12);
  double pk_q = log_uniform(r, 0.5, 4), hp_f = log_uniform(r, 20, 250);
  int use_tilt = rng_chance(r, 0.6), use_pk = rng_chance(r, 0.5), use_hp = rng_chance(r, 0.3);
  if (use_tilt) {
    Biquad b = bq_high_shelf(tilt_f, tilt_db);
    bq_apply(&b, x, n);
    count++;
  }
  if (use_pk) {
    Biquad b = bq_peak(pk_f, pk_db, pk_q);
    bq_apply(&b, x, n);
    count++;
  }
  if (use_hp) {
    Biquad b = bq_highpass(hp_f, 0.7071);
    bq_apply(&b, x, n);
    count++;
  }
  return count;
}

void lowpass_steep(float *x, int n, double fc_hz) {
  /* Butterworth order 8: section k has Q = 1 / (2 cos((2k - 1) pi / 16)). */
  for (int k = 1; k <= 4; k++) {
    Biquad b = bq_lowpass(fc_hz, 1.0 / (2.0 * cos((2 * k - 1) * 3.141592653589793 / 16.0)));
    bq_apply(&b, x, n);
  }
}

int clip_hard(float *x, int n, float limit) {
  assert(limit > 0);
  int c = 0;
  for (int i = 0; i < n; i++) {
    if (x[i] > limit) {
      x[i] = limit;
      c++;
    } else if (x[i] < -limit) {
      x[i] = -limit;
      c++;
    }
  }
  return c;
}

void quantise16(float *x, int n) {
  for (int i = 0; i < n; i++) {
    double v = floor((double)x[i] * 32768.0 + 0.5);
    if (v > 32767) v = 32767;
    if (v < -32768) v = -32768;
    x[i] = (float)(v / 32768.0);
  }
}
