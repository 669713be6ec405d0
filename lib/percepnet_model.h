/*
 * percepnet_model.h - the public model handle (percepnet.h) as the library
 * sees it: a loaded or built-in engine model (lib/nnet/pn_model.h) that has
 * been checked to fit the signal chain. Internal to lib/, not installed.
 */
#ifndef PERCEPNET_MODEL_H
#define PERCEPNET_MODEL_H

#include "percepnet.h"
#include "pn_model.h"

struct PercepnetModel {
  const PnModel *net; /* reads PN_FEATURES or PN_FEATURES_BASE features (the
                         first of the chain's), writes PN_BANDS bands */
  PnModel *loaded;    /* net when loaded from a file or buffer, else NULL */
};

/* PERCEPNET_OK when model's network reads the features and writes the bands
 * the signal chain has (lib/dsp): all PN_FEATURES features or the first
 * PN_FEATURES_BASE of them, PN_BANDS bands; else PERCEPNET_ERR_MODEL_SHAPE. */
int percepnet_model_fits_chain(const PnModel *model);

#endif
