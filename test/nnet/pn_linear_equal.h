/*
 * pn_linear_equal.h - test helper shared by test_model_load.c and
 * pn_compare_model.c: whether two PnLinear layers hold the same shape and
 * the same bytes in every array the kernels read (float layers: wf, bias;
 * int8 layers: w8, wsum, scale and bias over the padded rows).
 */
#ifndef PN_LINEAR_EQUAL_H
#define PN_LINEAR_EQUAL_H

#include <stdint.h>
#include <string.h>

#include "pn_model.h"

/* 1 when a and b are identical, 0 otherwise */
static inline int pn_linear_equal(const PnLinear *a, const PnLinear *b) {
  if (a->rows != b->rows || a->cols != b->cols || a->quantized != b->quantized) return 0;
  if (memcmp(a->bias, b->bias, sizeof(float) * (size_t)a->rows) != 0) return 0;
  if (!a->quantized)
    return memcmp(a->wf, b->wf, sizeof(float) * (size_t)a->rows * (size_t)a->cols) == 0;
  size_t rp = (size_t)a->rows_pad;
  return a->rows_pad == b->rows_pad && a->cols_pad == b->cols_pad &&
         memcmp(a->w8, b->w8, rp * (size_t)a->cols_pad) == 0 &&
         memcmp(a->wsum, b->wsum, sizeof(int32_t) * rp) == 0 &&
         memcmp(a->scale, b->scale, sizeof(float) * rp) == 0;
}

#endif
