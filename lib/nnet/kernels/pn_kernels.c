/*
 * pn_kernels.c - the int8 matrix-vector kernel, one source compiled once per
 * instruction set (lib/nnet/nnet.mk sets PN_KISA, PN_KSUFFIX and the -m
 * flags). Contract, layout and the no-saturation argument: pn_kernels.h.
 * Every variant returns the exact int32 sums, so the variants agree bit for
 * bit; test/nnet/test_kernels.c checks this against the C variant.
 *
 * The float product (pn_gemv_f32) computes each output as
 *   y = bias; y = y + w[c] * x[c] for c = 0, 1, ... (one rounding per
 * multiply and per add, no fused multiply-add: the build passes
 * -ffp-contract=off and the code uses separate multiply and add). Vector
 * width only changes how many outputs advance together, never the
 * operations applied to one output, so every variant gives the same bits.
 */
#include <stdint.h>
#include <string.h>

#include "pn_kernels.h"

#ifndef PN_KISA
#error "PN_KISA must be set by the build (lib/nnet/nnet.mk)"
#endif

#define PN_CAT2(a, b) a##b
#define PN_CAT(a, b) PN_CAT2(a, b)
#define PN_KFN(name) PN_CAT(name, PN_KSUFFIX)

#if PN_KISA != PN_KISA_AVX512BW && PN_KISA != PN_KISA_AVX512VNNI
/* Outputs r0..rows-1 of the float product one at a time, in the order the
 * header comment gives: the C variant whole, and the rows left over after
 * the last full vector block in the NEON, SSE4.1 and AVX2 variants (the
 * AVX-512 variants finish under a mask instead). */
static inline void gemv_f32_rows(int r0, int rows, int cols, const float *wf, const float *bias,
                                 const float *x, float *y) {
  for (int r = r0; r < rows; r++) {
    float a = bias[r];
    for (int c = 0; c < cols; c++) a = a + wf[(size_t)c * (size_t)rows + (size_t)r] * x[c];
    y[r] = a;
  }
}
#endif

#if PN_KISA == PN_KISA_C
/* The reference: plain loops over the packed layout. */
void PN_KFN(pn_gemv_i8)(int rows_pad, int cols_pad, const int8_t *w8,
                        const int32_t *wsum, const uint8_t *x, int32_t *out) {
  (void)wsum;
  int groups = cols_pad / 4;
  for (int s = 0; s < rows_pad / 16; s++)
    for (int i = 0; i < 16; i++) {
      int32_t acc = 0;
      for (int g = 0; g < groups; g++) {
        const int8_t *w = w8 + (((size_t)s * (size_t)groups + (size_t)g) * 16 + (size_t)i) * 4;
        for (int j = 0; j < 4; j++) acc += (int32_t)w[j] * ((int32_t)x[4 * g + j] - 127);
      }
      out[16 * s + i] = acc;
    }
}

void PN_KFN(pn_gemv_f32)(int rows, int cols, const float *wf, const float *bias,
                         const float *x, float *y) {
  gemv_f32_rows(0, rows, cols, wf, bias, x, y);
}

#elif PN_KISA == PN_KISA_NEON
#include <arm_neon.h>
void PN_KFN(pn_gemv_f32)(int rows, int cols, const float *wf, const float *bias,
                         const float *x, float *y) {
  int r = 0;
  for (; r + 16 <= rows; r += 16) {
    float32x4_t a0 = vld1q_f32(bias + r), a1 = vld1q_f32(bias + r + 4);
    float32x4_t a2 = vld1q_f32(bias + r + 8), a3 = vld1q_f32(bias + r + 12);
    for (int c = 0; c < cols; c++) {
      const float *w = wf + (size_t)c * (size_t)rows + (size_t)r;
      float32x4_t xc = vdupq_n_f32(x[c]);
      a0 = vaddq_f32(a0, vmulq_f32(vld1q_f32(w), xc));
      a1 = vaddq_f32(a1, vmulq_f32(vld1q_f32(w + 4), xc));
      a2 = vaddq_f32(a2, vmulq_f32(vld1q_f32(w + 8), xc));
      a3 = vaddq_f32(a3, vmulq_f32(vld1q_f32(w + 12), xc));
    }
    vst1q_f32(y + r, a0);
    vst1q_f32(y + r + 4, a1);
    vst1q_f32(y + r + 8, a2);
    vst1q_f32(y + r + 12, a3);
  }
  for (; r + 4 <= rows; r += 4) {
    float32x4_t a0 = vld1q_f32(bias + r);
    for (int c = 0; c < cols; c++)
      a0 = vaddq_f32(a0, vmulq_f32(vld1q_f32(wf + (size_t)c * (size_t)rows + (size_t)r), vdupq_n_f32(x[c])));
    vst1q_f32(y + r, a0);
  }
  gemv_f32_rows(r, rows, cols, wf, bias, x, y);
}

/* Signed codes q = x - 127 in -127..127; products w*q fit int16 (|.| <=
 * 16129); vpadalq_s16 widens adjacent pairs into int32 exactly. */
void PN_KFN(pn_gemv_i8)(int rows_pad, int cols_pad, const int8_t *w8,
                        const int32_t *wsum, const uint8_t *x, int32_t *out) {
  (void)wsum;
  int groups = cols_pad / 4;
  const uint8x16_t off = vdupq_n_u8(127);
  for (int s = 0; s < rows_pad / 16; s++) {
    const int8_t *w = w8 + (size_t)s * (size_t)groups * 64;
    /* acc[k][0]: rows 4k, 4k+1 (two partial sums each); acc[k][1]: 4k+2, 4k+3 */
    int32x4_t acc[4][2];
    for (int k = 0; k < 4; k++) acc[k][0] = acc[k][1] = vdupq_n_s32(0);
    for (int g = 0; g < groups; g++) {
      uint32_t word;
      memcpy(&word, x + 4 * g, 4);
      int8x16_t q = vreinterpretq_s8_u8(vsubq_u8(vreinterpretq_u8_u32(vdupq_n_u32(word)), off));
      int8x8_t qlo = vget_low_s8(q);
      for (int k = 0; k < 4; k++) {
        int8x16_t wv = vld1q_s8(w + (size_t)g * 64 + 16 * (size_t)k);
        acc[k][0] = vpadalq_s16(acc[k][0], vmull_s8(vget_low_s8(wv), qlo));
        acc[k][1] = vpadalq_s16(acc[k][1], vmull_s8(vget_high_s8(wv), qlo));
      }
    }
    for (int k = 0; k < 4; k++) vst1q_s32(out + 16 * s + 4 * k, vpaddq_s32(acc[k][0], acc[k][1]));
  }
}

#elif PN_KISA == PN_KISA_SSE41
#ifndef __SSE4_1__
#error "the sse4.1 variant needs -msse4.1"
#endif
#include <immintrin.h>
void PN_KFN(pn_gemv_f32)(int rows, int cols, const float *wf, const float *bias,
                         const float *x, float *y) {
  int r = 0;
  for (; r + 16 <= rows; r += 16) {
    __m128 a0 = _mm_loadu_ps(bias + r), a1 = _mm_loadu_ps(bias + r + 4);
    __m128 a2 = _mm_loadu_ps(bias + r + 8), a3 = _mm_loadu_ps(bias + r + 12);
    for (int c = 0; c < cols; c++) {
      const float *w = wf + (size_t)c * (size_t)rows + (size_t)r;
      __m128 xc = _mm_set1_ps(x[c]);
      a0 = _mm_add_ps(a0, _mm_mul_ps(_mm_loadu_ps(w), xc));
      a1 = _mm_add_ps(a1, _mm_mul_ps(_mm_loadu_ps(w + 4), xc));
      a2 = _mm_add_ps(a2, _mm_mul_ps(_mm_loadu_ps(w + 8), xc));
      a3 = _mm_add_ps(a3, _mm_mul_ps(_mm_loadu_ps(w + 12), xc));
    }
    _mm_storeu_ps(y + r, a0);
    _mm_storeu_ps(y + r + 4, a1);
    _mm_storeu_ps(y + r + 8, a2);
    _mm_storeu_ps(y + r + 12, a3);
  }
  for (; r + 4 <= rows; r += 4) {
    __m128 a0 = _mm_loadu_ps(bias + r);
    for (int c = 0; c < cols; c++)
      a0 = _mm_add_ps(a0, _mm_mul_ps(_mm_loadu_ps(wf + (size_t)c * (size_t)rows + (size_t)r), _mm_set1_ps(x[c])));
    _mm_storeu_ps(y + r, a0);
  }
  gemv_f32_rows(r, rows, cols, wf, bias, x, y);
}

/* Four 128-bit blocks per 16-row group: block k holds rows 4k..4k+3. */
void PN_KFN(pn_gemv_i8)(int rows_pad, int cols_pad, const int8_t *w8,
                        const int32_t *wsum, const uint8_t *x, int32_t *out) {
  int groups = cols_pad / 4;
  const __m128i ones = _mm_set1_epi16(1);
  const __m128i k127 = _mm_set1_epi32(127);
  for (int s = 0; s < rows_pad / 16; s++) {
    const int8_t *w = w8 + (size_t)s * (size_t)groups * 64;
    __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
    for (int g = 0; g < groups; g++) {
      int32_t word;
      memcpy(&word, x + 4 * g, 4);
      __m128i xb = _mm_set1_epi32(word);
      const int8_t *p = w + (size_t)g * 64;
      a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_maddubs_epi16(xb, _mm_loadu_si128((const __m128i *)p)), ones));
      a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_maddubs_epi16(xb, _mm_loadu_si128((const __m128i *)(p + 16))), ones));
      a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_maddubs_epi16(xb, _mm_loadu_si128((const __m128i *)(p + 32))), ones));
      a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_maddubs_epi16(xb, _mm_loadu_si128((const __m128i *)(p + 48))), ones));
    }
    /* a_k lanes: row 4k+i partial pairs (c0+c1)+(c2+c3) already summed by
     * madd: lane i = row 4k+i. */
    const __m128i *ws = (const __m128i *)(wsum + 16 * s);
    __m128i *o = (__m128i *)(out + 16 * s);
    _mm_storeu_si128(o, _mm_sub_epi32(a0, _mm_mullo_epi32(k127, _mm_loadu_si128(ws))));
    _mm_storeu_si128(o + 1, _mm_sub_epi32(a1, _mm_mullo_epi32(k127, _mm_loadu_si128(ws + 1))));
    _mm_storeu_si128(o + 2, _mm_sub_epi32(a2, _mm_mullo_epi32(k127, _mm_loadu_si128(ws + 2))));
    _mm_storeu_si128(o + 3, _mm_sub_epi32(a3, _mm_mullo_epi32(k127, _mm_loadu_si128(ws + 3))));
  }
}

#elif PN_KISA == PN_KISA_AVX2
#ifndef __AVX2__
#error "the avx2 variant needs -mavx2"
#endif
#include <immintrin.h>
void PN_KFN(pn_gemv_f32)(int rows, int cols, const float *wf, const float *bias,
                         const float *x, float *y) {
  int r = 0;
  for (; r + 32 <= rows; r += 32) {
    __m256 a0 = _mm256_loadu_ps(bias + r), a1 = _mm256_loadu_ps(bias + r + 8);
    __m256 a2 = _mm256_loadu_ps(bias + r + 16), a3 = _mm256_loadu_ps(bias + r + 24);
    for (int c = 0; c < cols; c++) {
      const float *w = wf + (size_t)c * (size_t)rows + (size_t)r;
      __m256 xc = _mm256_set1_ps(x[c]);
      a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu_ps(w), xc));
      a1 = _mm256_add_ps(a1, _mm256_mul_ps(_mm256_loadu_ps(w + 8), xc));
      a2 = _mm256_add_ps(a2, _mm256_mul_ps(_mm256_loadu_ps(w + 16), xc));
      a3 = _mm256_add_ps(a3, _mm256_mul_ps(_mm256_loadu_ps(w + 24), xc));
    }
    _mm256_storeu_ps(y + r, a0);
    _mm256_storeu_ps(y + r + 8, a1);
    _mm256_storeu_ps(y + r + 16, a2);
    _mm256_storeu_ps(y + r + 24, a3);
  }
  for (; r + 8 <= rows; r += 8) {
    __m256 a0 = _mm256_loadu_ps(bias + r);
    for (int c = 0; c < cols; c++)
      a0 = _mm256_add_ps(a0, _mm256_mul_ps(_mm256_loadu_ps(wf + (size_t)c * (size_t)rows + (size_t)r),
                                           _mm256_set1_ps(x[c])));
    _mm256_storeu_ps(y + r, a0);
  }
  gemv_f32_rows(r, rows, cols, wf, bias, x, y);
}

/* Two 256-bit halves per 16-row group (rows 0..7, 8..15); two stripes at a
 * time for four independent accumulator chains. */
static inline __m256i dot4_avx2(__m256i acc, __m256i xb, const int8_t *p) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i prod = _mm256_maddubs_epi16(xb, _mm256_loadu_si256((const __m256i *)p));
  return _mm256_add_epi32(acc, _mm256_madd_epi16(prod, ones));
}

static inline void store_avx2(int32_t *out, const int32_t *wsum, __m256i acc) {
  __m256i corr = _mm256_mullo_epi32(_mm256_set1_epi32(127), _mm256_loadu_si256((const __m256i *)wsum));
  _mm256_storeu_si256((__m256i *)out, _mm256_sub_epi32(acc, corr));
}

void PN_KFN(pn_gemv_i8)(int rows_pad, int cols_pad, const int8_t *w8,
                        const int32_t *wsum, const uint8_t *x, int32_t *out) {
  int groups = cols_pad / 4, stripes = rows_pad / 16, s = 0;
  size_t stride = (size_t)groups * 64;
  for (; s + 2 <= stripes; s += 2) {
    const int8_t *w = w8 + (size_t)s * stride;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, b0 = a0, b1 = a0;
    for (int g = 0; g < groups; g++) {
      int32_t word;
      memcpy(&word, x + 4 * g, 4);
      __m256i xb = _mm256_set1_epi32(word);
      const int8_t *p = w + (size_t)g * 64;
      a0 = dot4_avx2(a0, xb, p);
      a1 = dot4_avx2(a1, xb, p + 32);
      b0 = dot4_avx2(b0, xb, p + stride);
      b1 = dot4_avx2(b1, xb, p + stride + 32);
    }
    store_avx2(out + 16 * s, wsum + 16 * s, a0);
    store_avx2(out + 16 * s + 8, wsum + 16 * s + 8, a1);
    store_avx2(out + 16 * s + 16, wsum + 16 * s + 16, b0);
    store_avx2(out + 16 * s + 24, wsum + 16 * s + 24, b1);
  }
  for (; s < stripes; s++) {
    const int8_t *w = w8 + (size_t)s * stride;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0;
    for (int g = 0; g < groups; g++) {
      int32_t word;
      memcpy(&word, x + 4 * g, 4);
      __m256i xb = _mm256_set1_epi32(word);
      a0 = dot4_avx2(a0, xb, w + (size_t)g * 64);
      a1 = dot4_avx2(a1, xb, w + (size_t)g * 64 + 32);
    }
    store_avx2(out + 16 * s, wsum + 16 * s, a0);
    store_avx2(out + 16 * s + 8, wsum + 16 * s + 8, a1);
  }
}

#elif PN_KISA == PN_KISA_AVX512BW || PN_KISA == PN_KISA_AVX512VNNI
#if !defined(__AVX512F__) || !defined(__AVX512BW__)
#error "the avx512 variants need -mavx512f -mavx512bw"
#endif
#if PN_KISA == PN_KISA_AVX512VNNI && !defined(__AVX512VNNI__)
#error "the avx512-vnni variant needs -mavx512vnni"
#endif
#include <immintrin.h>
void PN_KFN(pn_gemv_f32)(int rows, int cols, const float *wf, const float *bias,
                         const float *x, float *y) {
  int r = 0;
  for (; r + 64 <= rows; r += 64) {
    __m512 a0 = _mm512_loadu_ps(bias + r), a1 = _mm512_loadu_ps(bias + r + 16);
    __m512 a2 = _mm512_loadu_ps(bias + r + 32), a3 = _mm512_loadu_ps(bias + r + 48);
    for (int c = 0; c < cols; c++) {
      const float *w = wf + (size_t)c * (size_t)rows + (size_t)r;
      __m512 xc = _mm512_set1_ps(x[c]);
      a0 = _mm512_add_ps(a0, _mm512_mul_ps(_mm512_loadu_ps(w), xc));
      a1 = _mm512_add_ps(a1, _mm512_mul_ps(_mm512_loadu_ps(w + 16), xc));
      a2 = _mm512_add_ps(a2, _mm512_mul_ps(_mm512_loadu_ps(w + 32), xc));
      a3 = _mm512_add_ps(a3, _mm512_mul_ps(_mm512_loadu_ps(w + 48), xc));
    }
    _mm512_storeu_ps(y + r, a0);
    _mm512_storeu_ps(y + r + 16, a1);
    _mm512_storeu_ps(y + r + 32, a2);
    _mm512_storeu_ps(y + r + 48, a3);
  }
  for (; r < rows; r += 16) { /* 16 rows, or the last 1..15 under a mask */
    __mmask16 m = rows - r >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (rows - r)) - 1u);
    __m512 a0 = _mm512_maskz_loadu_ps(m, bias + r);
    for (int c = 0; c < cols; c++)
      a0 = _mm512_add_ps(a0, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, wf + (size_t)c * (size_t)rows + (size_t)r),
                                           _mm512_set1_ps(x[c])));
    _mm512_mask_storeu_ps(y + r, m, a0);
  }
}

/* One 512-bit block per 16-row group. */
static inline __m512i dot4_512(__m512i acc, __m512i xb, const int8_t *p) {
  __m512i w = _mm512_loadu_si512((const void *)p);
#if PN_KISA == PN_KISA_AVX512VNNI
  return _mm512_dpbusd_epi32(acc, xb, w);
#else
  __m512i prod = _mm512_maddubs_epi16(xb, w);
  return _mm512_add_epi32(acc, _mm512_madd_epi16(prod, _mm512_set1_epi16(1)));
#endif
}

static inline void store_512(int32_t *out, const int32_t *wsum, __m512i acc) {
  __m512i corr = _mm512_mullo_epi32(_mm512_set1_epi32(127), _mm512_loadu_si512((const void *)wsum));
  _mm512_storeu_si512((void *)out, _mm512_sub_epi32(acc, corr));
}

static inline __m512i bcast4(const uint8_t *x) {
  int32_t word;
  memcpy(&word, x, 4);
  return _mm512_set1_epi32(word);
}

/* Four stripes at a time, two input groups per step: eight independent
 * accumulator chains to cover the latency of the multiply-add. */
void PN_KFN(pn_gemv_i8)(int rows_pad, int cols_pad, const int8_t *w8,
                        const int32_t *wsum, const uint8_t *x, int32_t *out) {
  int groups = cols_pad / 4, stripes = rows_pad / 16, s = 0;
  size_t stride = (size_t)groups * 64;
  for (; s + 4 <= stripes; s += 4) {
    const int8_t *w = w8 + (size_t)s * stride;
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    __m512i b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    int g = 0;
    for (; g + 2 <= groups; g += 2) {
      __m512i xa = bcast4(x + 4 * g), xb = bcast4(x + 4 * g + 4);
      const int8_t *p = w + (size_t)g * 64;
      a0 = dot4_512(a0, xa, p);
      b0 = dot4_512(b0, xb, p + 64);
      a1 = dot4_512(a1, xa, p + stride);
      b1 = dot4_512(b1, xb, p + stride + 64);
      a2 = dot4_512(a2, xa, p + 2 * stride);
      b2 = dot4_512(b2, xb, p + 2 * stride + 64);
      a3 = dot4_512(a3, xa, p + 3 * stride);
      b3 = dot4_512(b3, xb, p + 3 * stride + 64);
    }
    if (g < groups) {
      __m512i xa = bcast4(x + 4 * g);
      const int8_t *p = w + (size_t)g * 64;
      a0 = dot4_512(a0, xa, p);
      a1 = dot4_512(a1, xa, p + stride);
      a2 = dot4_512(a2, xa, p + 2 * stride);
      a3 = dot4_512(a3, xa, p + 3 * stride);
    }
    store_512(out + 16 * s, wsum + 16 * s, _mm512_add_epi32(a0, b0));
    store_512(out + 16 * s + 16, wsum + 16 * s + 16, _mm512_add_epi32(a1, b1));
    store_512(out + 16 * s + 32, wsum + 16 * s + 32, _mm512_add_epi32(a2, b2));
    store_512(out + 16 * s + 48, wsum + 16 * s + 48, _mm512_add_epi32(a3, b3));
  }
  for (; s < stripes; s++) {
    const int8_t *w = w8 + (size_t)s * stride;
    __m512i a0 = _mm512_setzero_si512(), b0 = a0;
    int g = 0;
    for (; g + 2 <= groups; g += 2) {
      a0 = dot4_512(a0, bcast4(x + 4 * g), w + (size_t)g * 64);
      b0 = dot4_512(b0, bcast4(x + 4 * g + 4), w + (size_t)g * 64 + 64);
    }
    if (g < groups) a0 = dot4_512(a0, bcast4(x + 4 * g), w + (size_t)g * 64);
    store_512(out + 16 * s, wsum + 16 * s, _mm512_add_epi32(a0, b0));
  }
}

#else
#error "unknown PN_KISA"
#endif
