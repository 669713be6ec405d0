/*
 * pn_run_model.c - test helper: runs a model file over a feature sequence.
 *   pn_run_model MODEL.pnm FEATURES.f32 OUT.f32 [cpu]
 * FEATURES.f32: T x F float32, F = the model's features per step (little-endian,
 * this machine's order); OUT.f32
 * receives T x 69 float32: 34 gains, 34 strengths, 1 VAD per step.
 * cpu: a level name accepted by pn_cpu_parse (default: the best path).
 */
#include <stdio.h>
#include <stdlib.h>

#include "pn_cpu.h"
#include "pn_model.h"
#include "pn_net.h"

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: %s MODEL.pnm FEATURES.f32 OUT.f32 [cpu]\n", argv[0]);
    return 2;
  }
  int level = -1;
  if (argc == 5 && pn_cpu_parse(argv[4], &level) != PN_OK) {
    fprintf(stderr, "cpu path %s not available\n", argv[4]);
    return 2;
  }
  PnModel *m = NULL;
  const char *why = NULL;
  int err = pn_model_load_file(argv[1], &m, &why);
  if (err) {
    fprintf(stderr, "%s: error %d: %s\n", argv[1], err, why ? why : "");
    return 1;
  }
  PnNet *net = pn_net_create(m, level);
  FILE *in = fopen(argv[2], "rb"), *out = fopen(argv[3], "wb");
  if (!net || !in || !out) {
    fprintf(stderr, "cannot set up the run\n");
    return 1;
  }
  const size_t nf = (size_t)pn_model_features(m), nb = (size_t)pn_model_bands(m);
  float feat[PN_MAX_SIZE], o[2 * PN_MAX_SIZE + 1];
  while (fread(feat, sizeof(float), nf, in) == nf) {
    pn_net_run(net, feat, o, o + nb, o + 2 * nb);
    if (fwrite(o, sizeof(float), 2 * nb + 1, out) != 2 * nb + 1) return 1;
  }
  fclose(in);
  if (fclose(out) != 0) return 1;
  pn_net_destroy(net);
  pn_model_free(m);
  return 0;
}
