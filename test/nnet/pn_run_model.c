/*
 * pn_run_model.c - test helper: runs a model file over a feature sequence.
 *   pn_run_model MODEL.pnm FEATURES.f32 OUT.f32 [cpu]
 * FEATURES.f32: T x 70 float32 (little-endian, this machine's order); OUT.f32
 * receives T x 69 float32: 34 gains, 34 strengths, 1 VAD per step.
 * cpu: a name accepted by percepnet_cpu_parse (default: the best path).
 */
#include <stdio.h>
#include <stdlib.h>

#include "percepnet.h"
#include "pn_model.h"
#include "pn_net.h"

#define OUTS (2 * PN_NB_BANDS + 1)

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: %s MODEL.pnm FEATURES.f32 OUT.f32 [cpu]\n", argv[0]);
    return 2;
  }
  int level = -1;
  if (argc == 5 && percepnet_cpu_parse(argv[4], &level) != PERCEPNET_OK) {
    fprintf(stderr, "cpu path %s not available\n", argv[4]);
    return 2;
  }
  PercepnetModel *m = NULL;
  const char *why = NULL;
  int err = pn_model_load_file_why(argv[1], &m, &why);
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
  float feat[PN_NB_FEATURES], o[OUTS];
  while (fread(feat, sizeof(float), PN_NB_FEATURES, in) == PN_NB_FEATURES) {
    pn_net_run(net, feat, o, o + PN_NB_BANDS, o + 2 * PN_NB_BANDS);
    if (fwrite(o, sizeof(float), OUTS, out) != OUTS) return 1;
  }
  fclose(in);
  if (fclose(out) != 0) return 1;
  pn_net_destroy(net);
  percepnet_model_free(m);
  return 0;
}
