/*
 * percepnet_model.c - the public model API (percepnet.h) on top of the
 * engine's models (lib/nnet/pn_model.h). A model is accepted only when its
 * network fits the signal chain: PN_FEATURES inputs, or PN_FEATURES_BASE for
 * the models made before the SNR features (the chain computes all
 * PN_FEATURES and the network reads the first ones, net_features.h), and
 * PN_BANDS bands.
 */
#include "percepnet_model.h"

#include <stdlib.h>

#include "dsp_const.h"
#include "net_features.h"
#include "pn_status.h"

/* The public status codes are the engine's (lib/nnet/pn_status.h). */
_Static_assert((int)PERCEPNET_OK == (int)PN_OK, "status");
_Static_assert((int)PERCEPNET_ERR_ALLOC == (int)PN_ERR_ALLOC, "status");
_Static_assert((int)PERCEPNET_ERR_BAD_ARG == (int)PN_ERR_BAD_ARG, "status");
_Static_assert((int)PERCEPNET_ERR_MODEL_IO == (int)PN_ERR_IO, "status");
_Static_assert((int)PERCEPNET_ERR_MODEL_FORMAT == (int)PN_ERR_FORMAT, "status");
_Static_assert((int)PERCEPNET_ERR_MODEL_VALUE == (int)PN_ERR_VALUE, "status");
_Static_assert((int)PERCEPNET_ERR_MODEL_SHAPE == (int)PN_ERR_SHAPE, "status");
_Static_assert((int)PERCEPNET_ERR_CPU == (int)PN_ERR_CPU, "status");

static const PercepnetModel default_model = {&pn_default_model, NULL};

/* The network reads as many features as the chain offers in one of its
 * layouts. */
static int reads_chain_features(const PnModel *model) {
  const int nf = pn_model_features(model);
  return nf == PN_FEATURES || nf == PN_FEATURES_BASE;
}

int percepnet_model_fits_chain(const PnModel *model) {
  return reads_chain_features(model) && pn_model_bands(model) == PN_BANDS
             ? PERCEPNET_OK
             : PERCEPNET_ERR_MODEL_SHAPE;
}

#define STR2(x) #x
#define STR(x) STR2(x)

/* Wraps a model just built from bytes (err: the build's status). */
static int wrap(int err, PnModel *net, PercepnetModel **out, const char **why) {
  PercepnetModel *m;
  if (err != PN_OK) return err;
  if (percepnet_model_fits_chain(net) != PERCEPNET_OK) {
    *why = reads_chain_features(net)
               ? "the network's band count does not match the signal chain's"
               : "the network's input count is neither of the signal chain's feature counts ("
                 STR(PN_FEATURES_BASE) " or " STR(PN_FEATURES) ")";
    pn_model_free(net);
    return PERCEPNET_ERR_MODEL_SHAPE;
  }
  m = malloc(sizeof *m);
  if (!m) {
    pn_model_free(net);
    *why = "out of memory";
    return PERCEPNET_ERR_ALLOC;
  }
  m->net = m->loaded = net;
  *out = m;
  return PERCEPNET_OK;
}

const PercepnetModel *percepnet_model_default(void) { return &default_model; }

int percepnet_model_load_buffer(const void *data, size_t len, PercepnetModel **out) {
  const char *why = NULL;
  PnModel *net = NULL;
  if (!out) return PERCEPNET_ERR_BAD_ARG;
  *out = NULL;
  int err = pn_model_from_buffer(data, len, &net, &why);
  return wrap(err, net, out, &why);
}

int percepnet_model_load_file_detail(const char *path, PercepnetModel **out,
                                     const char **detail) {
  const char *why = "";
  PnModel *net = NULL;
  int err = PERCEPNET_ERR_BAD_ARG;
  if (out) {
    *out = NULL;
    err = pn_model_load_file(path, &net, &why);
    err = wrap(err, net, out, &why);
  } else {
    why = "NULL argument";
  }
  if (detail) *detail = err ? (why && *why ? why : "error") : "";
  return err;
}

int percepnet_model_load_file(const char *path, PercepnetModel **out) {
  return percepnet_model_load_file_detail(path, out, NULL);
}

void percepnet_model_free(PercepnetModel *model) {
  if (!model || model == &default_model) return;
  pn_model_free(model->loaded);
  free(model);
}

const char *percepnet_model_id(const PercepnetModel *model) {
  return model ? model->net->id : "";
}
