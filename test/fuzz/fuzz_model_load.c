/*
 * fuzz_model_load.c - libFuzzer harness for the model-file loader
 * (percepnet_model_load_buffer, weights/FORMAT.md).
 *
 * Every input is loaded twice: as given, and with the header's size field
 * and the trailing FNV-1a 64 checksum rewritten to match, so mutations reach
 * the directory, shape and value checks instead of all dying at the
 * checksum. A model that loads must run: a state is created and a few
 * frames of noise go through it, with the output checked finite and within
 * the documented clamp (+-2, lib/percepnet.c).
 */
#include "percepnet.h"
#include "pn_model_file.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RUN_FRAMES 4
#define OUTPUT_BOUND 2.0f /* PN_OUTPUT_CLAMP in lib/percepnet.c */

static void run_model(const PercepnetModel *m) {
  float in[PERCEPNET_FRAME_SIZE], out[PERCEPNET_FRAME_SIZE];
  uint32_t s = 12345u; /* xorshift32, fixed seed: every run is reproducible */
  int err = 0, f, i;
  const char *id = percepnet_model_id(m);
  PercepnetState *st;
  if (strlen(id) != 16) abort();
  st = percepnet_create(m, &err);
  if (!st) {
    /* a model that loaded but does not fit the network is a loader bug */
    abort();
  }
  for (f = 0; f < RUN_FRAMES; f++) {
    for (i = 0; i < PERCEPNET_FRAME_SIZE; i++) {
      s ^= s << 13;
      s ^= s >> 17;
      s ^= s << 5;
      in[i] = (float)((int32_t)s) * (0.5f / 2147483648.0f);
    }
    if (percepnet_process(st, out, in) != PERCEPNET_OK) abort();
    for (i = 0; i < PERCEPNET_FRAME_SIZE; i++)
      if (!isfinite(out[i]) || fabsf(out[i]) > OUTPUT_BOUND) abort();
  }
  percepnet_destroy(st);
}

static void load(const uint8_t *data, size_t size) {
  PercepnetModel *m = NULL;
  int err = percepnet_model_load_buffer(data, size, &m);
  if (err == PERCEPNET_OK) {
    if (!m) abort();
    run_model(m);
    percepnet_model_free(m);
  } else {
    if (m) abort(); /* *out must stay NULL on failure */
    if (err != PERCEPNET_ERR_MODEL_FORMAT && err != PERCEPNET_ERR_MODEL_VALUE &&
        err != PERCEPNET_ERR_MODEL_SHAPE && err != PERCEPNET_ERR_ALLOC)
      abort();
  }
}

static void put_le64(uint8_t *p, uint64_t v) {
  int i;
  for (i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *fixed;
  load(data, size);
  if (size < PN_FILE_HEADER_SIZE + PN_FILE_TRAILER_SIZE) return 0;
  /* an exact-size heap copy, so ASan sees any read past the end */
  fixed = malloc(size);
  if (!fixed) return 0;
  memcpy(fixed, data, size);
  put_le64(fixed + 16, (uint64_t)size);
  put_le64(fixed + size - PN_FILE_TRAILER_SIZE,
           pn_fnv1a64(fixed, size - PN_FILE_TRAILER_SIZE));
  load(fixed, size);
  free(fixed);
  return 0;
}
