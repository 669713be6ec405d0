/*
 * pn_kernels.h - the per-instruction-set kernels and their dispatch table.
 *
 * One source (kernels/pn_kernels.c) is compiled once per instruction set
 * with PN_KISA and PN_KSUFFIX set by lib/nnet/nnet.mk; everything else in
 * the engine (layers, activations, float products) is compiled once and is
 * the same code on every path.
 *
 * The int8 matrix-vector product
 *   out[r] = sum_c w[r][c] * (x[c] - 127),  r < rows_pad, c < cols_pad
 * is computed exactly in int32 by every kernel, so every path returns the
 * same sums bit for bit:
 *  - w: |w| <= 127 and, for each adjacent column pair (2i, 2i+1) of equal
 *    sign, |w_2i + w_2i+1| <= 129 (checked by the loader, produced by
 *    scripts/export/quant.py);
 *  - x: activation codes q + 127 in 0..254 (q = round(127 * a), a in [-1, 1]).
 *  SSE4.1/AVX2/AVX-512BW multiply u8 x by s8 w and add adjacent pairs into a
 *  saturating int16: |x_a w_a + x_b w_b| <= 254 * 129 = 32766 < 32767, so
 *  no saturation; the pairs are then widened to int32 exactly (pmaddwd by 1).
 *  VNNI (vpdpbusd) sums the four u8*s8 products in int32 directly. NEON
 *  multiplies signed q = x - 127 by w (|product| <= 16129, fits int16) and
 *  widens pairs into int32. |out| <= cols * 127 * 127 < 2^31 for
 *  cols <= 3 * PN_MAX_SIZE.
 *  The x86 kernels compute sum w * x and subtract 127 * wsum[r] (wsum = row
 *  sum of w), all in exact integer arithmetic.
 *
 * Weight layout (rows_pad multiple of 16, cols_pad multiple of 4, padding 0):
 *   w8[((s * (cols_pad / 4) + g) * 16 + i) * 4 + j] = w[16 s + i][4 g + j]
 * i.e. stripes of 16 rows; within a stripe, groups of 4 inputs, each group
 * one 64-byte block holding 16 rows x 4 consecutive inputs. x must hold
 * cols_pad codes (padding 127, i.e. q = 0).
 */
#ifndef PN_KERNELS_H
#define PN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Index in w8 of weight (r, c) for a matrix of cols_pad padded inputs. */
static inline size_t pn_packed_index(int cols_pad, int r, int c) {
  return (((size_t)(r / 16) * (size_t)(cols_pad / 4) + (size_t)(c / 4)) * 16 +
          (size_t)(r % 16)) * 4 + (size_t)(c % 4);
}

typedef void (*PnGemvI8Fn)(int rows_pad, int cols_pad, const int8_t *w8,
                           const int32_t *wsum, const uint8_t *x, int32_t *out);

/* Float product, weights input-major (wf[c * rows + r]):
 *   y[r] = bias[r], then y[r] = y[r] + wf[c * rows + r] * x[c], c = 0, 1, ...
 * one IEEE-754 rounding per multiply and per add, in that order, on every
 * variant (no fused multiply-add; -ffp-contract=off): bit-identical results.
 * y must not overlap the inputs. */
typedef void (*PnGemvF32Fn)(int rows, int cols, const float *wf,
                            const float *bias, const float *x, float *y);

/* A variant's name is that of the level forcing it (pn_cpu_kernel_name). */
typedef struct {
  PnGemvI8Fn gemv_i8;   /* the int8 product above */
  PnGemvF32Fn gemv_f32; /* the float product */
} PnKernels;

/* Kernel variants (more than the public levels: AVX-512 has two). Macros,
 * not an enum: the kernel source selects its code with #if PN_KISA == ... */
#define PN_KISA_C 0
#define PN_KISA_SSE41 1
#define PN_KISA_AVX2 2
#define PN_KISA_AVX512BW 3
#define PN_KISA_AVX512VNNI 4
#define PN_KISA_NEON 5
#define PN_KISA_COUNT 6

/* The kernels of variant isa, or NULL when not built for this architecture. */
const PnKernels *pn_kernels_get(int isa);

#define PN_DECLARE_KERNELS(sfx)                                                  \
  void pn_gemv_i8##sfx(int rows_pad, int cols_pad, const int8_t *w8,           \
                       const int32_t *wsum, const uint8_t *x, int32_t *out);   \
  void pn_gemv_f32##sfx(int rows, int cols, const float *wf, const float *bias, \
                        const float *x, float *y);
PN_DECLARE_KERNELS(_c)
PN_DECLARE_KERNELS(_sse41)
PN_DECLARE_KERNELS(_avx2)
PN_DECLARE_KERNELS(_avx512bw)
PN_DECLARE_KERNELS(_avx512vnni)
PN_DECLARE_KERNELS(_neon)

#endif
