/*
 * pn_compare_model.c - test helper for test_export.py: compiled together with
 * a generated model C file whose pn_default_model is renamed pn_default_model
 * -> the name given by -Dpn_default_model=...; loads MODEL.pnm with the
 * library's loader and checks the two models are identical.
 *   pn_compare_model MODEL.pnm     exit 0 when identical
 */
#include <stdio.h>
#include <string.h>

#include "pn_linear_equal.h"
#include "pn_model.h"
#include "pn_net.h"

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  PnModel *m = NULL;
  int err = pn_model_load_file(argv[1], &m, NULL);
  if (err) {
    printf("load error %d\n", err);
    return 1;
  }
  const PnModel *g = &pn_default_model; /* the generated one */
  const PnLinear *la[] = {&m->conv1, &m->conv2, &m->gru1_ih, &m->gru1_hh, &m->gru2_ih,
                          &m->gru2_hh, &m->dense_g, &m->dense_r, &m->dense_vad};
  const PnLinear *lb[] = {&g->conv1, &g->conv2, &g->gru1_ih, &g->gru1_hh, &g->gru2_ih,
                          &g->gru2_hh, &g->dense_g, &g->dense_r, &g->dense_vad};
  int ok = m->conv1_size == g->conv1_size && m->hidden == g->hidden &&
           strcmp(m->id, g->id) == 0 && pn_net_check_model(g) == PN_OK;
  for (int i = 0; i < 9; i++)
    if (!pn_linear_equal(la[i], lb[i])) {
      printf("layer %d differs\n", i);
      ok = 0;
    }
  pn_model_free(m);
  return ok ? 0 : 1;
}
