/* net_features.c - see net_features.h. */
#include "net_features.h"

#include <math.h>

static float clamp8(float v) {
  if (!(v > -8.0f)) return v == v ? -8.0f : 0.0f; /* NaN -> 0 */
  return v > 8.0f ? 8.0f : v;
}

_Static_assert(PN_FEATURES == PN_FEAT_SNR + PN_BANDS, "feature table");
_Static_assert(PN_FEATURES_BASE == 2 * PN_BANDS + 2, "feature table");

void pn_features_compute(const float *E_new, float level, const float *noise,
                         const float *coh, float period, float corr, float *features) {
  int b;
  for (b = 0; b < PN_BANDS; b++) {
    /* 0.5 log10(x) = 0.150515 log2(x) (log2f is the cheaper libm call) */
    const float log_e = log2f(E_new[b] + PN_FEAT_LOG_FLOOR);
    features[b] = clamp8(0.15051500f * log_e - level);
    features[PN_BANDS + b] = clamp8(coh[b]);
    /* a difference of logs: no overflow for any E and N */
    features[PN_FEAT_SNR + b] =
        clamp8(0.15051500f * (log_e - log2f(noise[b] + PN_FEAT_LOG_FLOOR)));
  }
  features[2 * PN_BANDS] = clamp8(log2f(period / 240.0f));
  features[2 * PN_BANDS + 1] = clamp8(corr < 0.0f ? 0.0f : corr);
}
