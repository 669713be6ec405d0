/*
 * pn_net.c - the denoiser network of pn_net.h, one 10 ms step at a time.
 * All memory is allocated in pn_net_create(); pn_net_run() allocates nothing.
 */
#include "pn_net.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "pn_activations.h"
#include "pn_cpu.h"
#include "pn_kernels.h"
#include "pn_layers.h"
#include "pn_model.h"

struct PnNet {
  const PnModel *m;
  const PnKernels *k;
  int level;
  int nf, nb;    /* features per step, bands per head */
  float *c1_in;  /* 3 * nf: features of steps t-2, t-1, t */
  float *c2_in;  /* 3 * C1: conv1 outputs of steps t-2, t-1, t */
  float *cat;    /* 3 * H: conv2 output, gru1 state, gru2 state */
  float *gi, *gh; /* 3 * H each: GRU gate pre-activations */
  /* Activation codes (pn_layers.h), each vector quantised once: */
  uint8_t *c2_in_q; /* 3 * C1 (+ PN_COL_BLOCK): codes of c2_in */
  uint8_t *cat_q;   /* 3 * H (+ PN_COL_BLOCK): codes of cat */
  PnScratch scratch;
};

static int linear_ok(const PnLinear *l, int rows, int cols, int may_quantize) {
  if (l->rows != rows || l->cols != cols || !l->bias) return 0;
  if (!l->quantized) return l->wf != NULL;
  return may_quantize && l->w8 && l->wsum && l->scale &&
         l->rows_pad >= rows && l->rows_pad % PN_ROW_BLOCK == 0 &&
         l->rows_pad - rows < PN_ROW_BLOCK && l->cols_pad >= cols &&
         l->cols_pad % PN_COL_BLOCK == 0 && l->cols_pad - cols < PN_COL_BLOCK;
}

int pn_net_check_model(const PnModel *m) {
  if (!m) return PN_ERR_BAD_ARG;
  int c1 = m->conv1_size, h = m->hidden, nb = m->dense_g.rows;
  if (c1 < 1 || c1 > PN_MAX_SIZE || h < 1 || h > PN_MAX_SIZE) return PN_ERR_SHAPE;
  if (m->conv1.cols < PN_CONV_K || m->conv1.cols % PN_CONV_K != 0 ||
      m->conv1.cols > PN_CONV_K * PN_MAX_SIZE || nb < 1 || nb > PN_MAX_SIZE)
    return PN_ERR_SHAPE;
  int ok = linear_ok(&m->conv1, c1, m->conv1.cols, 0) &&
           linear_ok(&m->conv2, h, PN_CONV_K * c1, 1) &&
           linear_ok(&m->gru1_ih, 3 * h, h, 1) && linear_ok(&m->gru1_hh, 3 * h, h, 1) &&
           linear_ok(&m->gru2_ih, 3 * h, h, 1) && linear_ok(&m->gru2_hh, 3 * h, h, 1) &&
           linear_ok(&m->dense_g, nb, 3 * h, 1) &&
           linear_ok(&m->dense_r, nb, 3 * h, 1) &&
           linear_ok(&m->dense_vad, 1, 3 * h, 1);
  return ok ? PN_OK : PN_ERR_SHAPE;
}

int pn_net_set_cpu(PnNet *net, int cpu_level) {
  if (!net) return PN_ERR_BAD_ARG;
  if (cpu_level < 0 || cpu_level >= PN_CPU_LEVELS) return PN_ERR_BAD_ARG;
  int isa = pn_cpu_kernel_isa(cpu_level);
  const PnKernels *k = isa >= 0 ? pn_kernels_get(isa) : NULL;
  if (!k) return PN_ERR_CPU;
  net->k = k;
  net->level = cpu_level;
  return PN_OK;
}

void pn_net_destroy(PnNet *net) {
  if (!net) return;
  free(net->c1_in);
  free(net->c2_in);
  free(net->cat);
  free(net->gi);
  free(net->gh);
  free(net->c2_in_q);
  free(net->cat_q);
  free(net->scratch.xq);
  free(net->scratch.acc);
  free(net);
}

PnNet *pn_net_create(const PnModel *model, int cpu_level) {
  if (!model || pn_net_check_model(model) != PN_OK) return NULL;
  PnNet *net = calloc(1, sizeof *net);
  if (!net) return NULL;
  net->m = model;
  net->nf = pn_model_features(model);
  net->nb = pn_model_bands(model);
  int c1 = model->conv1_size, h = model->hidden;
  size_t max_cols = (size_t)PN_CONV_K * (size_t)(c1 > h ? c1 : h) + PN_COL_BLOCK;
  size_t max_rows = 3 * (size_t)h + PN_ROW_BLOCK;
  if (max_rows < (size_t)net->nb + PN_ROW_BLOCK) max_rows = (size_t)net->nb + PN_ROW_BLOCK;
  net->c1_in = calloc((size_t)PN_CONV_K * (size_t)net->nf, sizeof(float));
  net->c2_in = calloc((size_t)PN_CONV_K * (size_t)c1, sizeof(float));
  net->cat = calloc(3 * (size_t)h, sizeof(float));
  net->gi = calloc(3 * (size_t)h, sizeof(float));
  net->gh = calloc(3 * (size_t)h, sizeof(float));
  net->scratch.xq = calloc(max_cols, 1);
  net->scratch.xq_cap = (int)max_cols;
  net->scratch.acc_cap = (int)max_rows;
  /* + PN_COL_BLOCK: a product reads up to cols_pad codes from any slot */
  net->c2_in_q = malloc((size_t)PN_CONV_K * (size_t)c1 + PN_COL_BLOCK);
  net->cat_q = malloc(3 * (size_t)h + PN_COL_BLOCK);
  net->scratch.acc = calloc(max_rows, sizeof(int32_t));
  if (!net->c1_in || !net->c2_in || !net->cat || !net->gi || !net->gh ||
      !net->scratch.xq || !net->scratch.acc || !net->c2_in_q || !net->cat_q) {
    pn_net_destroy(net);
    return NULL;
  }
  pn_net_reset(net);
  if (cpu_level < 0) cpu_level = pn_cpu_detect();
  if (pn_net_set_cpu(net, cpu_level) != PN_OK) {
    pn_net_destroy(net);
    return NULL;
  }
  return net;
}

void pn_net_reset(PnNet *net) {
  if (!net) return;
  int c1 = net->m->conv1_size, h = net->m->hidden;
  memset(net->c1_in, 0, sizeof(float) * PN_CONV_K * (size_t)net->nf);
  memset(net->c2_in, 0, sizeof(float) * PN_CONV_K * (size_t)c1);
  memset(net->cat, 0, sizeof(float) * 3 * (size_t)h);
  memset(net->c2_in_q, 127, (size_t)PN_CONV_K * (size_t)c1 + PN_COL_BLOCK); /* code of 0 */
  memset(net->cat_q, 127, 3 * (size_t)h + PN_COL_BLOCK);
}

void pn_net_run(PnNet *net, const float *features, float *gains,
                float *strengths, float *vad) {
  assert(net && features && gains && strengths && vad);
  const PnModel *m = net->m;
  int c1 = m->conv1_size, h = m->hidden, nf = net->nf, nb = net->nb;
  float *c1_new = net->c1_in + 2 * nf;
  float *c2_new = net->c2_in + 2 * c1;
  memmove(net->c1_in, net->c1_in + nf, sizeof(float) * 2 * (size_t)nf);
  memcpy(c1_new, features, sizeof(float) * (size_t)nf);
  memmove(net->c2_in, net->c2_in + c1, sizeof(float) * 2 * (size_t)c1);
  memmove(net->c2_in_q, net->c2_in_q + c1, 2 * (size_t)c1);
  pn_linear(net->k, &m->conv1, net->c1_in, NULL, c2_new, &net->scratch);
  pn_tanh_vec(c2_new, c2_new, c1);
  pn_quantize_acts(c2_new, c1, net->c2_in_q + 2 * c1);
  float *c2 = net->cat, *h1 = net->cat + h, *h2 = net->cat + 2 * h;
  uint8_t *c2q = net->cat_q, *h1q = net->cat_q + h, *h2q = net->cat_q + 2 * h;
  pn_linear(net->k, &m->conv2, net->c2_in, net->c2_in_q, c2, &net->scratch);
  pn_tanh_vec(c2, c2, h);
  pn_quantize_acts(c2, h, c2q);
  pn_gru(net->k, &m->gru1_ih, &m->gru1_hh, c2, c2q, h1, h1q, net->gi, net->gh, &net->scratch);
  pn_gru(net->k, &m->gru2_ih, &m->gru2_hh, h1, h1q, h2, h2q, net->gi, net->gh, &net->scratch);
  pn_linear(net->k, &m->dense_g, net->cat, net->cat_q, gains, &net->scratch);
  pn_sigmoid_vec(gains, gains, nb);
  pn_linear(net->k, &m->dense_r, net->cat, net->cat_q, strengths, &net->scratch);
  pn_sigmoid_vec(strengths, strengths, nb);
  pn_linear(net->k, &m->dense_vad, net->cat, net->cat_q, vad, &net->scratch);
  pn_sigmoid_vec(vad, vad, 1);
}
