/*
 * test_net_paths.c - the whole network on every kernel path this machine
 * has: outputs bit-identical to the C path (x86 and aarch64 alike: the
 * kernels' int32 sums are exact and every float operation is common code),
 * in range, and reproducible after pn_net_reset().
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pn_cpu.h"
#include "pn_net.h"
#include "testutil.h"

#define FRAMES 200
static int NF, NB; /* the model's features per step, bands per head */
#define OUTS (2 * NB + 1)

static uint32_t rng_state = 12345u;
static float frand(void) { /* xorshift32, uniform in [-1, 1) */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return (float)(rng_state >> 8) / 8388608.0f - 1.0f;
}

static void run(PnNet *net, const float *feat, float *out) {
  for (int t = 0; t < FRAMES; t++) {
    float *o = out + (size_t)t * OUTS;
    pn_net_run(net, feat + (size_t)t * NF, o, o + NB, o + 2 * NB);
  }
}

int main(void) {
  const PnModel *model = &pn_default_model;
  CHECK(pn_net_check_model(model) == PN_OK, "default model fits the network", "check failed");
  NF = pn_model_features(model);
  NB = pn_model_bands(model);
  float *feat = malloc(sizeof(float) * FRAMES * NF);
  float *ref = malloc(sizeof(float) * FRAMES * OUTS);
  float *out = malloc(sizeof(float) * FRAMES * OUTS);
  if (!feat || !ref || !out) return 1;
  /* features of the size the real ones have: log energies up to ~10,
   * coherences in [0, 1], with bursts */
  for (int i = 0; i < FRAMES * NF; i++) feat[i] = 4.0f * frand() * (i % 7 == 0 ? 3.0f : 1.0f);

  PnNet *net = pn_net_create(model, PN_CPU_C);
  CHECK(net != NULL, "create on the c path", "NULL");
  if (!net) return test_exit();
  run(net, feat, ref);
  int in_range = 1;
  for (int i = 0; i < FRAMES * OUTS; i++)
    if (!(ref[i] >= 0.0f && ref[i] <= 1.0f)) in_range = 0;
  CHECK(in_range, "c path outputs in [0, 1]", "an output outside [0, 1] or NaN");
  pn_net_reset(net);
  run(net, feat, out);
  CHECK(memcmp(ref, out, sizeof(float) * FRAMES * OUTS) == 0, "reset reproduces the run",
        "outputs differ after pn_net_reset");

  int levels[] = {PN_CPU_SSE41, PN_CPU_AVX2, PN_CPU_AVX512BW,
                  PN_CPU_AVX512, PN_CPU_NEON};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
    char name[96];
    snprintf(name, sizeof name, "%s path bit-identical to c (%d frames)",
             pn_cpu_name(levels[i]), FRAMES);
    if (!pn_cpu_supported(levels[i])) {
      CHECK(pn_net_set_cpu(net, levels[i]) == PN_ERR_CPU, "unavailable level refused",
            "set_cpu(%s) accepted on a machine without it", pn_cpu_name(levels[i]));
      printf("ok - %s # SKIP not available here\n", name);
      continue;
    }
    CHECK(pn_net_set_cpu(net, levels[i]) == PN_OK, "set_cpu on an available level",
          "set_cpu(%s) failed", pn_cpu_name(levels[i]));
    pn_net_reset(net);
    run(net, feat, out);
    size_t diff = 0;
    float maxd = 0.0f;
    for (int j = 0; j < FRAMES * OUTS; j++)
      if (memcmp(&ref[j], &out[j], sizeof(float)) != 0) {
        diff++;
        if (fabsf(ref[j] - out[j]) > maxd) maxd = fabsf(ref[j] - out[j]);
      }
    CHECK(diff == 0, name, "%zu of %d outputs differ, max %g", diff, FRAMES * OUTS, (double)maxd);
  }
  CHECK(pn_net_set_cpu(net, 99) == PN_ERR_BAD_ARG, "unknown level is a bad argument",
        "set_cpu(99) did not return PN_ERR_BAD_ARG");
  pn_net_destroy(net);
  free(feat);
  free(ref);
  free(out);
  return test_exit();
}
