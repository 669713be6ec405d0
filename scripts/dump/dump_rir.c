/* dump_rir.c - generated room impulse responses; see dump_rir.h. */
#include "dump_rir.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dump_filters.h"

#define FS 48000.0
#define SOUND_SPEED 343.0  /* m/s */
#define IMAGE_SPAN_S 0.080 /* image-source part after the direct path */
/* Talker-to-microphone distance, m: beyond ~4 m the direct path drowns
 * (direct-to-reverberant ratios under -15 dB), far from this tool's use. */
#define MAX_DISTANCE_M 4.0
#define PI_D 3.141592653589793

/* Adds amp * delta(t - pos) with a Hann-windowed sinc (half-width
 * RIR_DIRECT_AT taps, so |error| of the fractional delay < 1 % below 18 kHz). */
static void add_impulse(float *h, int len, double pos, double amp) {
  int c = (int)floor(pos);
  double frac = pos - c;
  for (int k = -RIR_DIRECT_AT; k <= RIR_DIRECT_AT; k++) {
    int i = c + k;
    if (i < 0 || i >= len) continue;
    double t = k - frac;
    double s = fabs(t) < 1e-9 ? 1.0 : sin(PI_D * t) / (PI_D * t);
    double w = 0.5 + 0.5 * cos(PI_D * t / (RIR_DIRECT_AT + 1));
    h[i] += (float)(amp * s * w);
  }
}

static double draw_pos(DumpRng *r, double size) { return rng_range(r, 0.5, size - 0.5); }

/* Image-source part; returns the index where the image part stops. */
static int shoebox_images(DumpRng *r, double rt60, float *h, int len) {
  double L[3] = {rng_range(r, 3, 12), rng_range(r, 2.5, 10), rng_range(r, 2.4, 4)};
  double V = L[0] * L[1] * L[2];
  double S = 2 * (L[0] * L[1] + L[0] * L[2] + L[1] * L[2]);
  double alpha = 0.161 * V / (S * rt60);
  if (alpha > 0.95) alpha = 0.95; /* a large room cannot be that dry: RT60 comes out longer */
  double beta = sqrt(1.0 - alpha);
  double src[3], mic[3], d0;
  do {
    for (int k = 0; k < 3; k++) {
      src[k] = draw_pos(r, L[k]);
      mic[k] = draw_pos(r, L[k]);
    }
    d0 = sqrt((src[0] - mic[0]) * (src[0] - mic[0]) + (src[1] - mic[1]) * (src[1] - mic[1]) +
              (src[2] - mic[2]) * (src[2] - mic[2]));
  } while (d0 < 0.3 || d0 > MAX_DISTANCE_M);
  const double span_m = IMAGE_SPAN_S * SOUND_SPEED + d0;
  int nmax[3];
  for (int k = 0; k < 3; k++) nmax[k] = (int)ceil(span_m / (2 * L[k])) + 1;
  const int stop = RIR_DIRECT_AT + (int)(IMAGE_SPAN_S * FS);
  for (int nx = -nmax[0]; nx <= nmax[0]; nx++)
    for (int ny = -nmax[1]; ny <= nmax[1]; ny++)
      for (int nz = -nmax[2]; nz <= nmax[2]; nz++)
        for (int p = 0; p < 8; p++) {
          const int n[3] = {nx, ny, nz}, q[3] = {p & 1, (p >> 1) & 1, (p >> 2) & 1};
          double d2 = 0;
          int refl = 0;
          for (int k = 0; k < 3; k++) {
            /* image coordinate: (1 - 2q) src + 2 n L; reflections |2n - q| + ... */
            double x = (1 - 2 * q[k]) * src[k] + 2 * n[k] * L[k] - mic[k];
            d2 += x * x;
            refl += abs(2 * n[k] - q[k]);
          }
          double d = sqrt(d2);
          double pos = RIR_DIRECT_AT + (d - d0) / SOUND_SPEED * FS;
          if (pos >= stop || pos < RIR_DIRECT_AT - 0.5) continue;
          add_impulse(h, len, pos, pow(beta, refl) * d0 / d);
        }
  return stop;
}

void rir_generate(DumpRng *r, float rt60_min, float rt60_max, float *full, float *early,
                  RirInfo *info) {
  assert(rt60_min >= 0.05f && rt60_max <= 1.0f && rt60_min <= rt60_max);
  memset(full, 0, sizeof *full * RIR_MAX_LEN);
  memset(early, 0, sizeof *early * RIR_MAX_LEN);
  const double rt60 = rng_range(r, rt60_min, rt60_max);
  const int shoebox = rng_chance(r, 0.6);
  const double tail_lp = exp(rng_range(r, log(3000.0), log(16000.0)));
  int len = RIR_DIRECT_AT + (int)(1.2 * rt60 * FS);
  if (len > RIR_MAX_LEN) len = RIR_MAX_LEN;
  /* amplitude decay: 60 dB over rt60 -> exp(-ln(1000) t / rt60) */
  const double decay = log(1000.0) / (rt60 * FS); /* per sample */
  int tail_start;
  double tail_amp;
  if (shoebox) {
    tail_start = shoebox_images(r, rt60, full, len);
    /* energy density of the images over their last 20 ms */
    double e = 0;
    const int w = 960, a = tail_start - w;
    for (int i = a; i < tail_start; i++) e += (double)full[i] * full[i];
    tail_amp = sqrt(e / w);
    /* tail(t) = tail_amp * exp(-decay (t - tail_start)) * N(0,1) */
  } else {
    add_impulse(full, len, RIR_DIRECT_AT, 1.0);
    tail_start = RIR_DIRECT_AT + (int)(rng_range(r, 0.001, 0.008) * FS);
    /* reverberant energy sum_t amp^2 exp(-2 decay t) = amp^2 / (1 - exp(-2 decay)) */
    const double drr_db = rng_range(r, -6, 12);
    const double rev_energy = pow(10.0, -drr_db / 10.0);
    tail_amp = sqrt(rev_energy * (1.0 - exp(-2.0 * decay)));
  }
  if (tail_start > len) tail_start = len;
  /* The tail is generated in place, low-passed, then added. */
  float *tail = early; /* scratch: early is filled afterwards */
  for (int i = tail_start; i < len; i++)
    tail[i] = (float)(tail_amp * exp(-decay * (i - tail_start)) * rng_gauss(r));
  lowpass_steep(tail + tail_start, len - tail_start, tail_lp);
  for (int i = tail_start; i < len; i++) {
    full[i] += tail[i];
    tail[i] = 0;
  }
  /* Early response: up to RIR_EARLY_MS after the direct path, 2 ms fade. */
  const int n_early = RIR_DIRECT_AT + (int)(RIR_EARLY_MS * 1e-3 * FS);
  const int fade = 96;
  for (int i = 0; i < n_early && i < len; i++) {
    double g = 1.0;
    if (i >= n_early - fade) g = 0.5 + 0.5 * cos(PI_D * (i - (n_early - fade) + 0.5) / fade);
    early[i] = (float)(full[i] * g);
  }
  info->rt60_s = (float)rt60;
  info->shoebox = shoebox;
  info->n_full = len;
  info->n_early = n_early < len ? n_early : len;
}
