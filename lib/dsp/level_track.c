/* level_track.c - see level_track.h. */
#include "level_track.h"

#include <math.h>

#include "net_features.h"

void pn_level_track_reset(PnLevelTrack *lt) {
  lt->level = 0.0f;
  lt->started = 0;
}

float pn_level_track_push(PnLevelTrack *lt, const float *E) {
  double sum = 0.0;
  float l;
  int b;
  for (b = 0; b < PN_BANDS; b++) sum += E[b];
  /* 0.5 log10(x) = 0.150515 log2(x), as in net_features.c */
  l = 0.15051500f * log2f((float)(sum / PN_BANDS) + PN_FEAT_LOG_FLOOR);
  if (!(l >= PN_LEVEL_SILENT)) /* silent, or NaN: keep L */
    return lt->started ? lt->level : (l == l ? l : 0.0f);
  if (!lt->started) {
    lt->level = l;
    lt->started = 1;
  } else {
    lt->level += (l > lt->level ? PN_LEVEL_RISE : PN_LEVEL_FALL) * (l - lt->level);
  }
  return lt->level;
}
