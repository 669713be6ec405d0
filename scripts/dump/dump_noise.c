/* dump_noise.c - generated noises; see dump_noise.h. */
#include "dump_noise.h"

#include <assert.h>
#include <math.h>

#include "dump_filters.h"

#define FS 48000.0
#define TWO_PI 6.283185307179586
#define MAX_HARM 100 /* harmonics of the hum */
#define BED_FLAT_BELOW_HZ 40.0 /* corner of the broadband beds of hum and fan */

typedef struct {
  double beta;     /* power slope exponent */
  double floor_hz; /* flat below this */
} Slope;

static float slope_gain(float f_hz, const void *ctx) {
  const Slope *s = ctx;
  const double f = f_hz < s->floor_hz ? s->floor_hz : f_hz;
  return (float)pow(f / 1000.0, -s->beta / 2.0);
}

void noise_coloured(DumpRng *r, DumpFft *f, float *x, int n, double beta, double floor_hz) {
  assert(n <= f->max_len && floor_hz > 0.0);
  const Slope s = {beta, floor_hz};
  for (int i = 0; i < n; i++) x[i] = (float)rng_gauss(r);
  dfft_shape(f, x, n, slope_gain, &s);
}

void noise_hum(DumpRng *r, DumpFft *f, float *x, int n) {
  const double f0 = (rng_chance(r, 0.5) ? 50.0 : 60.0) * rng_range(r, 0.995, 1.005);
  const double top = exp(rng_range(r, log(1500.0), log(8000.0)));
  const double p = rng_range(r, 0.5, 2.0);
  const double wob_hz = rng_range(r, 0.1, 1.0), wob = rng_range(r, 0.0, 0.2);
  int kmax = (int)(top / f0);
  if (kmax < 1) kmax = 1;
  if (kmax > MAX_HARM) kmax = MAX_HARM;
  double amp[MAX_HARM], ph[MAX_HARM];
  for (int k = 0; k < kmax; k++) {
    amp[k] = pow(k + 1.0, -p) * pow(10.0, rng_range(r, -6, 6) / 20.0);
    ph[k] = rng_range(r, 0, TWO_PI);
  }
  /* broadband part first (uses x as its buffer) */
  noise_coloured(r, f, x, n, rng_range(r, 0, 1.5), BED_FLAT_BELOW_HZ);
  double e = 0;
  for (int i = 0; i < n; i++) e += (double)x[i] * x[i];
  const double floor_gain = pow(10.0, -rng_range(r, 30, 50) / 20.0) / sqrt(e / n + 1e-30);
  double hum_e = 0;
  for (int k = 0; k < kmax; k++) hum_e += amp[k] * amp[k] / 2;
  const double hum_norm = 1.0 / sqrt(hum_e);
  const double wob_ph = rng_range(r, 0, TWO_PI);
  /* harmonics by complex rotation (double: phase error < 1e-9 rad after
   * 1e6 samples), instead of one sin() per harmonic and sample */
  double cr[MAX_HARM], ci[MAX_HARM], rr[MAX_HARM], ri[MAX_HARM];
  for (int k = 0; k < kmax; k++) {
    cr[k] = cos(ph[k]);
    ci[k] = sin(ph[k]);
    rr[k] = cos(TWO_PI * f0 * (k + 1) / FS);
    ri[k] = sin(TWO_PI * f0 * (k + 1) / FS);
  }
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int k = 0; k < kmax; k++) {
      s += amp[k] * ci[k];
      double t = cr[k] * rr[k] - ci[k] * ri[k];
      ci[k] = cr[k] * ri[k] + ci[k] * rr[k];
      cr[k] = t;
    }
    s *= hum_norm * (1.0 + wob * sin(TWO_PI * wob_hz * i / FS + wob_ph));
    x[i] = (float)(s + floor_gain * x[i]);
  }
}

void noise_fan(DumpRng *r, DumpFft *f, float *x, int n) {
  noise_coloured(r, f, x, n, rng_range(r, 0.7, 1.8), BED_FLAT_BELOW_HZ);
  const int nres = 1 + (int)rng_below(r, 3);
  for (int k = 0; k < nres; k++) {
    Biquad b = bq_peak(exp(rng_range(r, log(100.0), log(3000.0))), rng_range(r, 3, 12),
                       rng_range(r, 0.7, 4));
    bq_apply(&b, x, n);
  }
  lowpass_steep(x, n, exp(rng_range(r, log(1500.0), log(10000.0))));
  double e = 0;
  for (int i = 0; i < n; i++) e += (double)x[i] * x[i];
  const double rms = sqrt(e / n + 1e-30);
  const double fb = rng_range(r, 60, 400), tone = rms * pow(10.0, rng_range(r, -30, -10) / 20.0);
  const double am_hz = rng_range(r, 0.2, 4), depth = rng_range(r, 0, 0.2);
  const double p1 = rng_range(r, 0, TWO_PI), p2 = rng_range(r, 0, TWO_PI);
  for (int i = 0; i < n; i++) {
    double t = i / FS;
    double s = x[i] + tone * (sin(TWO_PI * fb * t + p1) + 0.5 * sin(TWO_PI * 2 * fb * t + p2) +
                              0.25 * sin(TWO_PI * 3 * fb * t));
    x[i] = (float)(s * (1.0 + depth * sin(TWO_PI * am_hz * t)));
  }
}

/* The envelope's low-passed noise at sample i (two one-pole sections with
 * coefficient a, states s1, s2), from r's next Gaussian value. */
static double lowpassed(DumpRng *r, double a, double *s1, double *s2) {
  *s1 += (1.0 - a) * (rng_gauss(r) - *s1);
  *s2 += (1.0 - a) * (*s1 - *s2);
  return *s2;
}

void noise_modulate(DumpRng *r, float *x, int n) {
  const double fc = exp(rng_range(r, log(MODULATE_MIN_HZ), log(MODULATE_MAX_HZ)));
  const double depth = rng_range(r, 0.3, 0.8);
  const double a = exp(-TWO_PI * fc / FS);
  DumpRng probe = *r; /* the same draws twice: first for the RMS, then applied */
  double s1 = 0.0, s2 = 0.0, e = 0.0;
  int i;
  for (i = 0; i < n; i++) {
    const double v = lowpassed(&probe, a, &s1, &s2);
    e += v * v;
  }
  const double k = n > 0 && e > 0.0 ? depth / sqrt(e / n) : 0.0;
  s1 = s2 = 0.0;
  for (i = 0; i < n; i++) {
    double g = 1.0 + k * lowpassed(r, a, &s1, &s2);
    if (g < MODULATE_FLOOR) g = MODULATE_FLOOR;
    x[i] = (float)(x[i] * g * g);
  }
}
