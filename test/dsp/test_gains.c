/*
 * test_gains.c - contracts of lib/dsp/gains.h: the decay limit lets a band
 * gain fall by exactly PN_GAIN_DECAY (-6 dB) per frame at most and rise at
 * once, starts unconstrained, reads NaN as 1, keeps bands apart; the
 * attenuation floor lifts gains to it and leaves the rest alone.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gains.h"
#include "testutil.h"

static uint32_t rng = 777u;
static float urand(void) { /* LCG, uniform in [0, 1) */
  rng = rng * 1664525u + 1013904223u;
  return (float)(rng >> 8) / 16777216.0f;
}

static void fill(float *g, float v) {
  for (int b = 0; b < PN_BANDS; b++) g[b] = v;
}

static void test_slope(void) {
  PnGainState gs;
  float g[PN_BANDS];
  pn_gains_reset(&gs);
  fill(g, 1.0f);
  pn_gains_decay_limit(&gs, g);
  /* the network asks for 0 from now on: the gain halves every frame */
  int exact = 1;
  float expect = 1.0f;
  for (int t = 1; t <= 20; t++) {
    fill(g, 0.0f);
    pn_gains_decay_limit(&gs, g);
    expect *= PN_GAIN_DECAY;
    for (int b = 0; b < PN_BANDS; b++) exact &= g[b] == expect;
  }
  CHECK(exact, "decay limit: a drop to 0 falls by exactly PN_GAIN_DECAY per frame",
        "band 0 at %g after 20 frames, expected %g", (double)g[0], (double)expect);
  CHECK(fabs(20.0 * log10(PN_GAIN_DECAY) + 6.02) < 0.01, "decay limit slope is -6 dB per 10 ms",
        "%.3f dB", 20.0 * log10(PN_GAIN_DECAY));
  fill(g, 0.9f);
  pn_gains_decay_limit(&gs, g);
  CHECK(g[0] == 0.9f && g[PN_BANDS - 1] == 0.9f, "decay limit: rises are immediate", "%g",
        (double)g[0]);
}

static void test_contract(void) {
  PnGainState gs;
  float g[PN_BANDS], in[PN_BANDS], prev[PN_BANDS];
  pn_gains_reset(&gs);
  fill(g, 0.01f);
  pn_gains_decay_limit(&gs, g);
  CHECK(g[5] == 0.01f, "decay limit: no constraint after reset", "%g", (double)g[5]);
  /* random sequences: out = max(in, PN_GAIN_DECAY * previous out) */
  int ok = 1, bad_b = -1;
  memcpy(prev, g, sizeof prev);
  for (int t = 0; t < 2000; t++) {
    for (int b = 0; b < PN_BANDS; b++) {
      float u = urand();
      in[b] = u < 0.3f ? 0.0f : u;
    }
    memcpy(g, in, sizeof g);
    pn_gains_decay_limit(&gs, g);
    for (int b = 0; b < PN_BANDS; b++) {
      float want = in[b] > PN_GAIN_DECAY * prev[b] ? in[b] : PN_GAIN_DECAY * prev[b];
      if (g[b] != want || g[b] < in[b]) ok = 0, bad_b = b;
    }
    memcpy(prev, g, sizeof prev);
  }
  CHECK(ok, "decay limit: out = max(in, 0.5 previous out) over 2000 random frames",
        "band %d differs", bad_b);
  /* NaN reads 1; one band's history does not reach another band */
  pn_gains_reset(&gs);
  fill(g, 0.0f);
  g[3] = NAN;
  pn_gains_decay_limit(&gs, g);
  CHECK(g[3] == 1.0f, "decay limit: NaN gain reads 1", "%g", (double)g[3]);
  fill(g, 0.0f);
  pn_gains_decay_limit(&gs, g);
  int others_zero = 1;
  for (int b = 0; b < PN_BANDS; b++)
    if (b != 3) others_zero &= g[b] == 0.0f;
  CHECK(g[3] == 0.5f && others_zero, "decay limit: bands are independent", "band 3 %g",
        (double)g[3]);
}

static void test_floor(void) {
  float g[PN_BANDS];
  for (int b = 0; b < PN_BANDS; b++) g[b] = (float)b / (PN_BANDS - 1);
  pn_gains_floor(g, 0.25f);
  int ok = 1;
  for (int b = 0; b < PN_BANDS; b++) {
    float in = (float)b / (PN_BANDS - 1);
    ok &= g[b] == (in < 0.25f ? 0.25f : in);
  }
  CHECK(ok, "floor: gains below it rise to it, others unchanged", "mismatch");
  const float none[] = {0.0f, -1.0f, NAN};
  ok = 1;
  for (int i = 0; i < 3; i++) {
    fill(g, 0.001f);
    pn_gains_floor(g, none[i]);
    ok &= g[7] == 0.001f;
  }
  CHECK(ok, "floor: 0, negative or NaN floor does nothing", "gain changed");
}

int main(void) {
  test_slope();
  test_contract();
  test_floor();
  return test_exit();
}
