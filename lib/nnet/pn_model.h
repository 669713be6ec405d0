/*
 * pn_model.h - a loaded network model as the engine uses it (internal).
 *
 * A model file (weights/FORMAT.md) holds PyTorch's tensors; loading turns
 * them into one PnLinear per matrix product, in the layout the kernels read:
 *  - int8 layers: weights packed in blocks of PN_ROW_BLOCK rows x PN_COL_BLOCK
 *    inputs (pn_kernels.h), per-row float scale and per-row sum of the int8
 *    weights (to remove the +127 offset of the unsigned activations);
 *  - float layers: weights input-major, wf[c * rows + r], so the product
 *    loops over outputs innermost (vectorisable without reassociation).
 * The default model (weights/default_model.c) is the same structure built by
 * scripts/export/export_model.py as constant data.
 */
#ifndef PN_MODEL_H
#define PN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "pn_status.h"

#define PN_ROW_BLOCK 16 /* rows per packed stripe */
#define PN_COL_BLOCK 4  /* inputs per packed group */
#define PN_MAX_SIZE 1024 /* largest conv1/hidden size a model may have */
#define PN_MODEL_ID_LEN 16 /* hex digits */
#define PN_CONV_K 3 /* frames per convolution window: t-2, t-1, t */

typedef struct {
  int rows;      /* outputs */
  int cols;      /* inputs (convolutions: kernel 3 x input channels) */
  int quantized; /* 1: int8 fields below are used, 0: float fields */
  int rows_pad;  /* rows rounded up to PN_ROW_BLOCK (int8 only) */
  int cols_pad;  /* cols rounded up to PN_COL_BLOCK (int8 only) */
  const int8_t *w8;     /* rows_pad * cols_pad packed int8 weights, |q| <= 127 */
  const int32_t *wsum;  /* rows_pad: sum of the row's int8 weights */
  const float *scale;   /* rows_pad: real weight = q * scale (0 on pad rows) */
  const float *wf;      /* cols * rows float weights, wf[c * rows + r] */
  const float *bias;    /* rows */
} PnLinear;

typedef struct PnModel {
  int conv1_size; /* C1: conv1 output channels */
  int hidden;     /* H: conv2 outputs and GRU state size */
  PnLinear conv1;   /* 3*F -> C1 (F features per step), float (its inputs
                        are unbounded) */
  PnLinear conv2;   /* 3*C1 -> H */
  PnLinear gru1_ih; /* H -> 3H, gates r, z, n (PyTorch order) */
  PnLinear gru1_hh; /* H -> 3H */
  PnLinear gru2_ih;
  PnLinear gru2_hh;
  PnLinear dense_g;   /* 3H -> B (bands) */
  PnLinear dense_r;   /* 3H -> B */
  PnLinear dense_vad; /* 3H -> 1 */
  char id[PN_MODEL_ID_LEN + 1]; /* first 16 hex digits of the file's SHA-256 */
  void *storage; /* loaded models: the allocation holding every array */
} PnModel;

/* The model compiled in from weights/default_model.c. */
extern const PnModel pn_default_model;

/* Builds a model from a model file's bytes (copied). Returns PN_OK with *out
 * to release with pn_model_free(), or a PN_ERR_* code with *out = NULL and,
 * if why is not NULL, *why set to a static one-line description of the
 * first problem found. */
int pn_model_from_buffer(const void *data, size_t len, PnModel **out,
                         const char **why);
/* Same from a file (PN_ERR_IO when it cannot be opened or read). */
int pn_model_load_file(const char *path, PnModel **out, const char **why);

/* Frees a loaded model (NULL and &pn_default_model are ignored). */
void pn_model_free(PnModel *model);

/* The sizes the model's network reads and writes: features per step
 * (conv1 inputs) and bands per head (dense_g, dense_r outputs). */
int pn_model_features(const PnModel *model);
int pn_model_bands(const PnModel *model);

#endif
