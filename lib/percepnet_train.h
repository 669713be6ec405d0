/*
 * percepnet_train.h - the training entry point (project tools only, not
 * installed). The dump tool in scripts/dump/ computes network features and
 * training targets with the very code the denoiser runs, through this API.
 */
#ifndef PERCEPNET_TRAIN_H
#define PERCEPNET_TRAIN_H

#include "percepnet.h"

#include "net_features.h" /* PN_FEATURES, the one definition of the count */

/* Targets of a dump row, after its features: gains g_b, strengths r_b, VAD. */
#define PERCEPNET_TRAIN_TARGETS (2 * PERCEPNET_NB_BANDS + 1)
/* One dump row with every feature (a dump may keep only the first
 * PN_FEATURES_BASE: scripts/dump/dump_features.c --features). */
#define PERCEPNET_TRAIN_ROW (PN_FEATURES + PERCEPNET_TRAIN_TARGETS)

typedef struct PercepnetTrain PercepnetTrain;

PercepnetTrain *percepnet_train_create(void);
void percepnet_train_destroy(PercepnetTrain *tr);
void percepnet_train_reset(PercepnetTrain *tr); /* start of a new sequence */

/*
 * Feeds frame t: 480 samples at 48 kHz in [-1, 1] of the noisy input and of
 * the clean target (the part of the clean signal the output should keep, e.g.
 * direct path + early reflections). band_limit_hz: the clean speech's
 * bandwidth; bands above it are marked "don't care" (no signal there to learn
 * from). Writes the features of step t (PN_FEATURES) and the targets
 * of output frame t-2: gains[34] and strengths[34] in [0, 1] or -1 for "don't
 * care", vad in [0, 1] or -1. Returns 1 when the targets are valid (t >= 2),
 * 0 while the look-ahead fills.
 */
int percepnet_train_frame(PercepnetTrain *tr, const float *noisy,
                          const float *clean, float band_limit_hz,
                          float *features, float *gains, float *strengths,
                          float *vad);

#endif
