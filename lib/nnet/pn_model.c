/*
 * pn_model.c - builds a PnModel from a parsed model file: finds the
 * PyTorch tensors by name, checks every shape against the network of
 * pn_net.h, checks the int8 range rule (pn_kernels.h) and packs the weights
 * into one allocation in the kernels' layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pn_kernels.h"
#include "pn_model.h"
#include "pn_model_file.h"
#include "pn_sha256.h"
#include "pn_status.h"

#define PN_ALLOC_ALIGN 64 /* bytes: one cache line, the widest SIMD load */
#define PN_PAIR_MAX 129   /* |q_2i + q_2i+1| bound, see pn_kernels.h */

typedef struct {
  const PnTensor *w, *scale, *bias;
  int conv_k; /* 3 for a convolution (PyTorch weight [out, in, k]), else 0 */
} LayerTensors;

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

static const PnTensor *find(const PnTensorList *l, const char *name) {
  for (unsigned i = 0; i < l->n; i++)
    if (strcmp(l->t[i].name, name) == 0) return &l->t[i];
  return NULL;
}

static int has_shape(const PnTensor *t, int ndim, int d0, int d1, int d2) {
  if (!t || t->ndim != ndim || t->dims[0] != d0) return 0;
  if (ndim > 1 && t->dims[1] != d1) return 0;
  if (ndim > 2 && t->dims[2] != d2) return 0;
  return 1;
}

/* Element (r, c) of the layer's matrix in the engine's input order: for a
 * convolution, column c = k * in + ch multiplies channel ch of the input k
 * frames after the oldest (PyTorch stores weight[r][ch][k]). */
static size_t elem_index(const LayerTensors *lt, int r, int c) {
  if (lt->conv_k) {
    int in = lt->w->dims[1];
    int k = c / in, ch = c % in;
    return ((size_t)r * (size_t)in + (size_t)ch) * (size_t)lt->conv_k + (size_t)k;
  }
  return (size_t)r * (size_t)lt->w->dims[1] + (size_t)c;
}

static int layer_rows(const LayerTensors *lt) { return lt->w->dims[0]; }
static int layer_cols(const LayerTensors *lt) {
  return lt->conv_k ? lt->w->dims[1] * lt->conv_k : lt->w->dims[1];
}

static size_t layer_bytes(const LayerTensors *lt) {
  size_t rows = (size_t)layer_rows(lt), cols = (size_t)layer_cols(lt);
  size_t b = round_up(rows * sizeof(float), PN_ALLOC_ALIGN); /* bias */
  if (lt->w->dtype == PN_DTYPE_I8) {
    size_t rp = round_up(rows, PN_ROW_BLOCK), cp = round_up(cols, PN_COL_BLOCK);
    b += round_up(rp * cp, PN_ALLOC_ALIGN);
    b += 2 * round_up(rp * sizeof(float), PN_ALLOC_ALIGN); /* wsum, scale */
  } else {
    b += round_up(rows * cols * sizeof(float), PN_ALLOC_ALIGN);
  }
  return b;
}

static void *take(uint8_t **cursor, size_t bytes) {
  void *p = *cursor;
  *cursor += round_up(bytes, PN_ALLOC_ALIGN);
  return p;
}

/* Checks the int8 values of a layer: scales finite and > 0 (parse checked
 * finiteness), adjacent same-sign pairs within PN_PAIR_MAX. */
static int check_int8(const LayerTensors *lt) {
  int rows = layer_rows(lt), cols = layer_cols(lt);
  for (int r = 0; r < rows; r++) {
    if (!(pn_le_f32(lt->scale->data + 4 * (size_t)r) > 0.0f))
      return PN_ERR_VALUE;
    for (int c = 0; c + 1 < cols; c += 2) {
      int a = (int8_t)lt->w->data[elem_index(lt, r, c)];
      int b = (int8_t)lt->w->data[elem_index(lt, r, c + 1)];
      if (a * b > 0 && abs(a + b) > PN_PAIR_MAX) return PN_ERR_VALUE;
    }
  }
  return PN_OK;
}

static void build_layer(const LayerTensors *lt, PnLinear *out, uint8_t **cursor) {
  int rows = layer_rows(lt), cols = layer_cols(lt);
  memset(out, 0, sizeof *out);
  out->rows = rows;
  out->cols = cols;
  float *bias = take(cursor, (size_t)rows * sizeof(float));
  for (int r = 0; r < rows; r++) bias[r] = pn_le_f32(lt->bias->data + 4 * (size_t)r);
  out->bias = bias;
  if (lt->w->dtype == PN_DTYPE_I8) {
    int rp = (int)round_up((size_t)rows, PN_ROW_BLOCK);
    int cp = (int)round_up((size_t)cols, PN_COL_BLOCK);
    int8_t *w8 = take(cursor, (size_t)rp * (size_t)cp);
    int32_t *wsum = take(cursor, (size_t)rp * sizeof(int32_t));
    float *scale = take(cursor, (size_t)rp * sizeof(float));
    memset(w8, 0, (size_t)rp * (size_t)cp);
    for (int r = 0; r < rp; r++) {
      int32_t sum = 0;
      scale[r] = r < rows ? pn_le_f32(lt->scale->data + 4 * (size_t)r) : 0.0f;
      for (int c = 0; r < rows && c < cols; c++) {
        int8_t q = (int8_t)lt->w->data[elem_index(lt, r, c)];
        w8[pn_packed_index(cp, r, c)] = q;
        sum += q;
      }
      wsum[r] = sum;
    }
    out->quantized = 1;
    out->rows_pad = rp;
    out->cols_pad = cp;
    out->w8 = w8;
    out->wsum = wsum;
    out->scale = scale;
  } else {
    float *wf = take(cursor, (size_t)rows * (size_t)cols * sizeof(float));
    for (int r = 0; r < rows; r++)
      for (int c = 0; c < cols; c++)
        wf[(size_t)c * (size_t)rows + (size_t)r] = pn_le_f32(lt->w->data + 4 * elem_index(lt, r, c));
    out->wf = wf;
  }
}

enum { L_CONV1, L_CONV2, L_G1I, L_G1H, L_G2I, L_G2H, L_DG, L_DR, L_DV, L_COUNT };

static const char *const layer_w[L_COUNT] = {
    "conv1.weight", "conv2.weight", "gru1.weight_ih_l0", "gru1.weight_hh_l0",
    "gru2.weight_ih_l0", "gru2.weight_hh_l0", "dense_g.weight",
    "dense_r.weight", "dense_vad.weight"};
static const char *const layer_b[L_COUNT] = {
    "conv1.bias", "conv2.bias", "gru1.bias_ih_l0", "gru1.bias_hh_l0",
    "gru2.bias_ih_l0", "gru2.bias_hh_l0", "dense_g.bias",
    "dense_r.bias", "dense_vad.bias"};

/* Finds and shape-checks every layer's tensors; every tensor of the file
 * must be used. Returns PN_OK or an error code. */
static int collect(const PnTensorList *l, LayerTensors lt[L_COUNT], int *c1_out,
                   int *h_out, const char **why) {
  unsigned used = 0;
  const PnTensor *c1w = find(l, layer_w[L_CONV1]);
  const PnTensor *g1h = find(l, layer_w[L_G1H]);
  const PnTensor *dgw = find(l, layer_w[L_DG]);
  if (!c1w || !g1h || !dgw || c1w->ndim != 3 || g1h->ndim != 2 || dgw->ndim != 2) {
    *why = "conv1.weight, gru1.weight_hh_l0 or dense_g.weight missing or not 3-D/2-D/2-D";
    return PN_ERR_SHAPE;
  }
  int c1 = c1w->dims[0], h = g1h->dims[1];
  int nf = c1w->dims[1], nb = dgw->dims[0]; /* features in, bands out */
  if (c1 < 1 || c1 > PN_MAX_SIZE || h < 1 || h > PN_MAX_SIZE || nf > PN_MAX_SIZE ||
      nb > PN_MAX_SIZE) {
    *why = "conv1, hidden, input or band count out of 1..1024";
    return PN_ERR_SHAPE;
  }
  /* expected weight shapes: {ndim, d0, d1, d2} */
  const int shape[L_COUNT][4] = {
      {3, c1, nf, PN_CONV_K}, {3, h, c1, PN_CONV_K}, {2, 3 * h, h, 0}, {2, 3 * h, h, 0},
      {2, 3 * h, h, 0}, {2, 3 * h, h, 0}, {2, nb, 3 * h, 0},
      {2, nb, 3 * h, 0}, {2, 1, 3 * h, 0}};
  for (int i = 0; i < L_COUNT; i++) {
    const PnTensor *w = find(l, layer_w[i]);
    const PnTensor *b = find(l, layer_b[i]);
    if (!has_shape(w, shape[i][0], shape[i][1], shape[i][2], shape[i][3]) ||
        !has_shape(b, 1, shape[i][1], 0, 0) || b->dtype != PN_DTYPE_F32) {
      *why = "a layer's weight or bias is missing or has the wrong shape";
      return PN_ERR_SHAPE;
    }
    char sname[PN_FILE_NAME_SIZE + 8];
    snprintf(sname, sizeof sname, "%s.scale", layer_w[i]);
    const PnTensor *s = find(l, sname);
    if (w->dtype == PN_DTYPE_I8) {
      if (i == L_CONV1) {
        *why = "conv1 must be float (its inputs are not bounded to [-1, 1])";
        return PN_ERR_SHAPE;
      }
      if (!has_shape(s, 1, shape[i][1], 0, 0) || s->dtype != PN_DTYPE_F32) {
        *why = "int8 weight without a float scale per row";
        return PN_ERR_SHAPE;
      }
      used += 1;
    } else if (s) {
      *why = "scale given for a float weight";
      return PN_ERR_FORMAT;
    }
    used += 2;
    lt[i].w = w;
    lt[i].bias = b;
    lt[i].scale = w->dtype == PN_DTYPE_I8 ? s : NULL;
    lt[i].conv_k = (i == L_CONV1 || i == L_CONV2) ? PN_CONV_K : 0;
  }
  if (used != l->n) {
    *why = "unknown tensor name in the model";
    return PN_ERR_FORMAT;
  }
  *c1_out = c1;
  *h_out = h;
  return PN_OK;
}

int pn_model_from_buffer(const void *data, size_t len, PnModel **out,
                         const char **why) {
  const char *dummy_why = NULL;
  if (!why) why = &dummy_why;
  if (!data || !out) {
    *why = "NULL argument";
    return PN_ERR_BAD_ARG;
  }
  *out = NULL;
  PnTensorList *list = malloc(sizeof *list);
  if (!list) {
    *why = "out of memory";
    return PN_ERR_ALLOC;
  }
  int err = pn_file_parse(data, len, list, why);
  LayerTensors lt[L_COUNT];
  int c1 = 0, h = 0;
  if (!err) err = collect(list, lt, &c1, &h, why);
  for (int i = 0; !err && i < L_COUNT; i++)
    if (lt[i].w->dtype == PN_DTYPE_I8 && check_int8(&lt[i]) != PN_OK) {
      *why = "int8 scale not > 0 or adjacent weight pair beyond |129|";
      err = PN_ERR_VALUE;
    }
  if (err) {
    free(list);
    return err;
  }
  size_t bytes = round_up(sizeof(PnModel), PN_ALLOC_ALIGN);
  for (int i = 0; i < L_COUNT; i++) bytes += layer_bytes(&lt[i]);
  uint8_t *mem = aligned_alloc(PN_ALLOC_ALIGN, bytes);
  if (!mem) {
    free(list);
    *why = "out of memory";
    return PN_ERR_ALLOC;
  }
  uint8_t *cursor = mem;
  PnModel *m = take(&cursor, sizeof *m);
  memset(m, 0, sizeof *m);
  PnLinear *dst[L_COUNT] = {&m->conv1, &m->conv2, &m->gru1_ih, &m->gru1_hh,
                            &m->gru2_ih, &m->gru2_hh, &m->dense_g, &m->dense_r,
                            &m->dense_vad};
  for (int i = 0; i < L_COUNT; i++) build_layer(&lt[i], dst[i], &cursor);
  if ((size_t)(cursor - mem) > bytes) abort(); /* layer_bytes() out of step */
  m->conv1_size = c1;
  m->hidden = h;
  m->storage = mem;
  uint8_t digest[32];
  pn_sha256(data, len, digest);
  for (int i = 0; i < PN_MODEL_ID_LEN / 2; i++)
    snprintf(m->id + 2 * i, 3, "%02x", digest[i]);
  free(list);
  *out = m;
  return PN_OK;
}

int pn_model_load_file(const char *path, PnModel **out, const char **why) {
  const char *dummy_why = NULL;
  if (!why) why = &dummy_why;
  if (!path || !out) {
    *why = "NULL argument";
    return PN_ERR_BAD_ARG;
  }
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) {
    *why = "cannot open the model file";
    return PN_ERR_IO;
  }
  /* A model within PN_MAX_SIZE stored all in float is about 70 MB; a larger
   * file cannot be valid and is refused before anything is allocated. */
  const long max_len = 256L << 20;
  long len = -1;
  if (fseek(f, 0, SEEK_END) == 0) len = ftell(f);
  if (len < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    *why = "cannot read the model file (not a regular file?)";
    return PN_ERR_IO;
  }
  if (len > max_len) {
    fclose(f);
    *why = "model file too large";
    return PN_ERR_FORMAT;
  }
  uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
  if (!buf) {
    fclose(f);
    *why = "out of memory";
    return PN_ERR_ALLOC;
  }
  size_t got = fread(buf, 1, (size_t)len, f);
  int ioerr = ferror(f);
  fclose(f);
  if (ioerr || got != (size_t)len) {
    free(buf);
    *why = "read error on the model file";
    return PN_ERR_IO;
  }
  int err = pn_model_from_buffer(buf, (size_t)len, out, why);
  free(buf);
  return err;
}

void pn_model_free(PnModel *model) {
  if (!model || model == &pn_default_model || !model->storage) return;
  free(model->storage); /* the model struct lives inside its storage */
}

int pn_model_features(const PnModel *model) { return model->conv1.cols / PN_CONV_K; }

int pn_model_bands(const PnModel *model) { return model->dense_g.rows; }
