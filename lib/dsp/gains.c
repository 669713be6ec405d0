/* gains.c - see gains.h. */
#include "gains.h"

#include <string.h>

void pn_gains_reset(PnGainState *gs) { memset(gs, 0, sizeof(*gs)); }

void pn_gains_decay_limit(PnGainState *gs, float *g) {
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    float v = g[b] == g[b] ? g[b] : 1.0f;
    float lim = PN_GAIN_DECAY * gs->prev[b];
    if (v < lim) v = lim;
    g[b] = v;
    gs->prev[b] = v;
  }
}

void pn_gains_floor(float *g, float floor_lin) {
  int b;
  if (!(floor_lin > 0.0f)) return;
  for (b = 0; b < PN_BANDS; b++)
    if (g[b] < floor_lin) g[b] = floor_lin;
}
