/*
 * test_pitch.c - pitch search + Viterbi tracking on synthetic voiced signals
 * (harmonic series with -6 dB/octave tilt, cycle jitter, exponential glides,
 * a missing fundamental, low and high voices), clean and in white noise at
 * 10 dB SNR. A gross error is a decided period more than 20 % off the true
 * period at the frame's window centre; the issue allows < 2 %.
 */
#include "pitch_search.h"
#include "pitch_track.h"
#include "synth.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SECONDS 3
#define N (SECONDS * 48000)
#define FRAMES (N / PN_FRAME)

typedef struct {
  const char *name;
  double f0a, f0b, jitter;
  int first_h;
  double fmax;
} Case;

/* Runs the tracker over x; returns gross errors, counts frames and voiced. */
static int run(const float *x, const double *f0, int *frames, int *voiced,
               double *octave_jumps) {
  PnPitchSearch ps;
  PnPitchTrack tr;
  PnPitchCands c;
  PnPitch p;
  int t, gross = 0;
  double prev = 0.0;
  pn_pitch_search_reset(&ps);
  pn_pitch_track_reset(&tr);
  *frames = *voiced = 0;
  *octave_jumps = 0;
  for (t = 0; t < FRAMES; t++) {
    int l = t - PN_LOOKAHEAD;
    pn_pitch_search_frame(&ps, x + t * PN_FRAME, &c);
    pn_pitch_track_push(&tr, &c, &p);
    if (l < 5) continue; /* the 40 ms history fills */
    {
      double true_t = 48000.0 / f0[l * PN_FRAME];
      double err = fabs(p.period - true_t) / true_t;
      (*frames)++;
      if (err > 0.2) gross++;
      if (p.voiced) (*voiced)++;
      if (prev > 0.0 && fabs(log2(p.period / prev)) > 0.7) *octave_jumps += 1;
      prev = p.period;
    }
  }
  return gross;
}

int main(void) {
  static const Case cases[] = {
      {"glide_up_100_250", 100, 250, 0.005, 1, 5000},
      {"glide_down_220_140_jitter1", 220, 140, 0.01, 1, 5000},
      {"missing_fundamental_150_180", 150, 180, 0.005, 2, 5000},
      {"low_65_90", 65, 90, 0.005, 1, 4000},
      {"high_300_550", 300, 550, 0.005, 1, 8000},
      {"female_200_wideband", 210, 190, 0.01, 1, 12000},
      {"glide_down_220_140_jitter2", 220, 140, 0.02, 1, 5000},
      {"child_400_750", 400, 750, 0.005, 1, 8000},
  };
  float *clean = malloc(N * sizeof(float)), *noisy = malloc(N * sizeof(float));
  double *f0 = malloc(N * sizeof(double));
  size_t i;
  int total_gross = 0, total_frames = 0;
  if (!clean || !noisy || !f0) return 1;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const Case *cs = &cases[i];
    SynthRng rng = {1000 + i};
    int frames, voiced, g_clean, g_noisy, v_clean;
    double jumps;
    char name[128];
    synth_voiced(clean, f0, N, cs->f0a, cs->f0b, cs->jitter, cs->first_h, cs->fmax, 0.1, &rng);
    synth_add_noise(clean, noisy, N, 10.0, &rng);
    g_clean = run(clean, f0, &frames, &v_clean, &jumps);
    snprintf(name, sizeof(name), "pitch_clean_%s", cs->name);
    CHECK(g_clean * 100 < 2 * frames, name, "%d gross errors in %d frames", g_clean, frames);
    snprintf(name, sizeof(name), "pitch_clean_voiced_%s", cs->name);
    CHECK(v_clean * 100 >= 95 * frames, name, "%d voiced of %d", v_clean, frames);
    g_noisy = run(noisy, f0, &frames, &voiced, &jumps);
    snprintf(name, sizeof(name), "pitch_snr10_%s", cs->name);
    CHECK(g_noisy * 100 < 2 * frames, name, "%d gross errors in %d frames", g_noisy, frames);
    snprintf(name, sizeof(name), "pitch_snr10_no_octave_jumps_%s", cs->name);
    CHECK(jumps == 0, name, "%.0f jumps of more than 0.7 octave", jumps);
    printf("# %s: clean %d/%d gross, %d voiced; 10 dB %d/%d gross, %d voiced\n", cs->name,
           g_clean, frames, v_clean, g_noisy, frames, voiced);
    total_gross += g_noisy;
    total_frames += frames;
  }
  CHECK(total_gross * 100 < 2 * total_frames, "pitch_snr10_all", "%d of %d", total_gross,
        total_frames);
  /* silence and white noise alone: no voicing */
  {
    SynthRng rng = {99};
    int frames, voiced, k;
    double jumps;
    for (k = 0; k < N; k++) {
      clean[k] = 0.0f;
      noisy[k] = (float)(0.05 * synth_gauss(&rng));
      f0[k] = 100.0;
    }
    run(clean, f0, &frames, &voiced, &jumps);
    CHECK(voiced == 0, "pitch_silence_unvoiced", "%d voiced frames", voiced);
    run(noisy, f0, &frames, &voiced, &jumps);
    CHECK(voiced * 100 < 5 * frames, "pitch_white_noise_unvoiced", "%d voiced of %d", voiced,
          frames);
  }
  free(clean);
  free(noisy);
  free(f0);
  return test_exit();
}
