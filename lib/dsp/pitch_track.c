/* pitch_track.c - see pitch_track.h. */
#include "pitch_track.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define DEFAULT_PERIOD 240.0f /* 200 Hz, used before any voiced frame */

void pn_pitch_track_reset(PnPitchTrack *tr) {
  memset(tr, 0, sizeof(*tr));
  tr->last_period = DEFAULT_PERIOD;
}

static float local_cost(const PnPitchCands *c, int s) {
  if (s == c->n) return 1.0f - PN_TRACK_VOICING;
  /* log2(60) = 5.9069 */
  return 1.0f - c->c[s].corr + PN_TRACK_SHORT_BIAS * (c->c[s].log2p - 5.9068906f);
}

static float trans_cost(const PnPitchCands *a, int i, const PnPitchCands *b,
                        int j) {
  int va = i < a->n, vb = j < b->n;
  if (va && vb) return PN_TRACK_JUMP * fabsf(b->c[j].log2p - a->c[i].log2p);
  return va == vb ? 0.0f : PN_TRACK_SWITCH;
}

void pn_pitch_track_push(PnPitchTrack *tr, const PnPitchCands *cands,
                         PnPitch *decided) {
  const int prev = tr->pos;
  const int cur = (tr->pos + 1) % PN_TRACK_DEPTH;
  const PnPitchCands *pc = &tr->cand[prev];
  PnPitchCands *cc = &tr->cand[cur];
  float cost[PN_TRACK_STATES];
  float best = INFINITY, base;
  int i, j, s, f, bs = 0;

  assert(cands->n >= 0 && cands->n <= PN_PITCH_CANDS);
  *cc = *cands;
  for (j = 0; j <= cc->n; j++) {
    float lc = local_cost(cc, j);
    if (tr->frames == 0) {
      cost[j] = lc;
      tr->back[cur][j] = 0;
      continue;
    }
    cost[j] = INFINITY;
    for (i = 0; i <= pc->n; i++) {
      float v = tr->cost[i] + trans_cost(pc, i, cc, j);
      if (v < cost[j]) {
        cost[j] = v;
        tr->back[cur][j] = (unsigned char)i;
      }
    }
    cost[j] += lc;
  }
  for (j = 0; j <= cc->n; j++)
    if (cost[j] < best) {
      best = cost[j];
      bs = j;
    }
  /* keep the numbers small; a non-finite cost (impossible with finite
   * candidates) restarts the track */
  base = isfinite(best) ? best : 0.0f;
  for (j = 0; j <= cc->n; j++) tr->cost[j] = isfinite(best) ? cost[j] - base : 0.0f;
  tr->pos = cur;
  if (tr->frames < PN_TRACK_DEPTH) tr->frames++;

  /* backtrack PN_LOOKAHEAD frames from the best newest state */
  s = bs;
  f = cur;
  for (i = 0; i < PN_LOOKAHEAD; i++) {
    s = tr->back[f][s];
    f = (f + PN_TRACK_DEPTH - 1) % PN_TRACK_DEPTH;
  }
  if (tr->frames < PN_TRACK_DEPTH) {
    decided->period = tr->last_period;
    decided->corr = 0.0f;
    decided->voiced = 0;
    return;
  }
  {
    const PnPitchCands *dc = &tr->cand[f];
    assert(s <= dc->n);
    if (s < dc->n) {
      decided->period = dc->c[s].period;
      decided->corr = dc->c[s].corr > 0.0f ? dc->c[s].corr : 0.0f;
      decided->voiced = 1;
      tr->last_period = decided->period;
    } else if (dc->n > 0) {
      decided->period = dc->c[0].period;
      decided->corr = dc->c[0].corr > 0.0f ? dc->c[0].corr : 0.0f;
      decided->voiced = 0;
    } else {
      decided->period = tr->last_period;
      decided->corr = 0.0f;
      decided->voiced = 0;
    }
  }
}
