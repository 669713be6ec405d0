/*
 * test_kernels.c - every int8 kernel variant this machine can run against
 * (a) an int64 reference computed on the unpacked matrix and (b) the C
 * variant: exact equality, on random and adversarial data (extreme weights
 * at the pair limit, activations at 0 and 254, sizes that are not multiples
 * of any SIMD width). Then the quantised layer against the float reference
 * within its error bound, and the activations against libm.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pn_activations.h"
#include "pn_cpu.h"
#include "pn_kernels.h"
#include "pn_layers.h"
#include "testutil.h"

static uint32_t rng = 777u;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}
static int irand(int lo, int hi) { return lo + (int)(next() % (uint32_t)(hi - lo + 1)); }

enum { W_RANDOM, W_PAIR_MAX, W_PAIR_MIN, W_MIXED_EXTREME, W_ZERO, W_MODES };
enum { X_RANDOM, X_MAX, X_MIN, X_ALTERNATE, X_MODES };

/* A weight pair obeying |a| <= 127, |a + b| <= 129 when a, b share a sign. */
static void pair(int mode, int8_t *a, int8_t *b) {
  int x, y;
  switch (mode) {
  case W_PAIR_MAX: x = irand(2, 127); y = 129 - x; break;
  case W_PAIR_MIN: x = -irand(2, 127); y = -129 - x; break;
  case W_MIXED_EXTREME: x = (next() & 1) ? 127 : -127; y = -x; break;
  case W_ZERO: x = y = 0; break;
  default:
    x = irand(-127, 127);
    y = irand(-127, 127);
    if (x * y > 0 && abs(x + y) > 129) y = (x > 0 ? 129 : -129) - x;
  }
  if (next() & 1) { int t = x; x = y; y = t; }
  *a = (int8_t)x;
  *b = (int8_t)y;
}

static uint8_t act(int mode, int c) {
  switch (mode) {
  case X_MAX: return 254;
  case X_MIN: return 0;
  case X_ALTERNATE: return (c & 1) ? 0 : 254;
  default: return (uint8_t)irand(0, 254);
  }
}

typedef struct {
  int rows, cols, rp, cp;
  int8_t *w;      /* rows x cols, unpacked */
  int8_t *w8;     /* packed */
  int32_t *wsum;  /* rp */
  uint8_t *x;     /* cp */
} Case;

static int make_case(Case *k, int rows, int cols, int wmode, int xmode) {
  k->rows = rows;
  k->cols = cols;
  k->rp = (rows + 15) / 16 * 16;
  k->cp = (cols + 3) / 4 * 4;
  k->w = calloc((size_t)rows * (size_t)cols + 1, 1);
  k->w8 = calloc((size_t)k->rp * (size_t)k->cp, 1);
  k->wsum = calloc((size_t)k->rp, sizeof(int32_t));
  k->x = calloc((size_t)k->cp, 1);
  if (!k->w || !k->w8 || !k->wsum || !k->x) return 0;
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c += 2) {
      int8_t a, b;
      pair(wmode, &a, &b);
      k->w[(size_t)r * (size_t)cols + (size_t)c] = a;
      if (c + 1 < cols) k->w[(size_t)r * (size_t)cols + (size_t)c + 1] = b;
    }
    for (int c = 0; c < cols; c++) {
      int8_t q = k->w[(size_t)r * (size_t)cols + (size_t)c];
      k->w8[pn_packed_index(k->cp, r, c)] = q;
      k->wsum[r] += q;
    }
  }
  for (int c = 0; c < k->cp; c++) k->x[c] = c < cols ? act(xmode, c) : 127;
  return 1;
}

static void free_case(Case *k) {
  free(k->w);
  free(k->w8);
  free(k->wsum);
  free(k->x);
}

static int variants[PN_KISA_COUNT], nvariants;

static void available_variants(void) {
  PnCpuFeatures f;
  pn_cpu_features(&f);
  const int have[PN_KISA_COUNT] = {1, f.sse41, f.avx2, f.avx512, f.vnni, f.neon};
  for (int i = 0; i < PN_KISA_COUNT; i++) {
    const PnKernels *k = pn_kernels_get(i);
    if (k && have[i]) variants[nvariants++] = i;
    else printf("ok - kernel variant %d # SKIP not built or not supported here\n", i);
  }
}

static void test_exact(void) {
  const int rows[] = {1, 3, 15, 16, 17, 33, 48, 64, 65, 100, 576};
  const int cols[] = {1, 2, 3, 4, 5, 7, 8, 63, 65, 129, 384, 577};
  long cases = 0, bad[PN_KISA_COUNT] = {0}, bad_ref[PN_KISA_COUNT] = {0};
  int32_t *out = malloc(sizeof(int32_t) * 592), *ref_c = malloc(sizeof(int32_t) * 592);
  if (!out || !ref_c) return;
  for (size_t ri = 0; ri < sizeof rows / sizeof rows[0]; ri++)
    for (size_t ci = 0; ci < sizeof cols / sizeof cols[0]; ci++)
      for (int wm = 0; wm < W_MODES; wm++)
        for (int xm = 0; xm < X_MODES; xm++) {
          if (rows[ri] * cols[ci] > 20000 && (wm + xm) % 3) continue; /* keep it fast */
          Case k;
          if (!make_case(&k, rows[ri], cols[ci], wm, xm)) return;
          pn_kernels_get(PN_KISA_C)->gemv_i8(k.rp, k.cp, k.w8, k.wsum, k.x, ref_c);
          for (int v = 0; v < nvariants; v++) {
            memset(out, 0x55, sizeof(int32_t) * 592);
            pn_kernels_get(variants[v])->gemv_i8(k.rp, k.cp, k.w8, k.wsum, k.x, out);
            for (int r = 0; r < k.rows; r++) {
              int64_t s = 0;
              for (int c = 0; c < k.cols; c++)
                s += (int64_t)k.w[(size_t)r * (size_t)k.cols + (size_t)c] * ((int64_t)k.x[c] - 127);
              if (out[r] != s) bad_ref[variants[v]]++;
              if (out[r] != ref_c[r]) bad[variants[v]]++;
            }
            for (int r = k.rows; r < k.rp; r++)
              if (out[r] != 0) bad_ref[variants[v]]++; /* padding rows sum to 0 */
          }
          cases++;
          free_case(&k);
        }
  for (int v = 0; v < nvariants; v++) {
    const char *name = pn_cpu_kernel_name(variants[v]);
    char n1[96], n2[96];
    snprintf(n1, sizeof n1, "%s kernel equals the int64 reference (%ld cases)", name, cases);
    snprintf(n2, sizeof n2, "%s kernel equals the c kernel", name);
    CHECK(bad_ref[variants[v]] == 0, n1, "%ld wrong sums", bad_ref[variants[v]]);
    CHECK(bad[variants[v]] == 0, n2, "%ld sums differ", bad[variants[v]]);
  }
  free(out);
  free(ref_c);
}

/* The quantised layer against float arithmetic on the dequantised weights:
 * the activation rounding error is <= 0.5/127 per input, so
 * |y - y_ref| <= scale_r * sum_c |q_rc| * 0.5/127 (+ float rounding). */
static void test_layer_vs_float(void) {
  const int rows = 37, cols = 123;
  Case k;
  if (!make_case(&k, rows, cols, W_RANDOM, X_RANDOM)) return;
  float scale[48] = {0}, bias[37], x[124], y[37];
  for (int r = 0; r < rows; r++) {
    scale[r] = 0.001f + 0.0001f * (float)r;
    bias[r] = 0.01f * (float)(r - 18);
  }
  for (int c = 0; c < cols; c++) x[c] = (float)irand(-1000, 1000) / 1000.0f;
  x[0] = 1.0f;
  x[1] = -1.0f;
  x[2] = 1.5f; /* clamped to 1 */
  PnLinear lin = {.rows = rows, .cols = cols, .quantized = 1, .rows_pad = k.rp,
                  .cols_pad = k.cp, .w8 = k.w8, .wsum = k.wsum, .scale = scale,
                  .wf = NULL, .bias = bias};
  uint8_t xq[128] = {0};
  int32_t acc[48] = {0};
  PnScratch sc = {xq, acc, (int)sizeof xq, (int)(sizeof acc / sizeof acc[0])};
  for (int v = 0; v < nvariants; v++) {
    pn_linear(pn_kernels_get(variants[v]), &lin, x, NULL, y, &sc);
    double worst = 0.0;
    int ok = 1;
    for (int r = 0; r < rows; r++) {
      double ref = bias[r], bound = 1e-5;
      for (int c = 0; c < cols; c++) {
        double q = k.w[(size_t)r * (size_t)cols + (size_t)c];
        double xc = x[c] > 1.0f ? 1.0 : x[c];
        ref += q * scale[r] * xc;
        bound += fabs(q) * scale[r] * 0.5 / 127.0;
      }
      double e = fabs(y[r] - ref);
      if (e > bound) ok = 0;
      if (e / bound > worst) worst = e / bound;
    }
    char name[96];
    snprintf(name, sizeof name, "%s int8 layer within its bound of the float reference",
             pn_cpu_kernel_name(variants[v]));
    CHECK(ok, name, "error %.3g x the bound", worst);
  }
  free_case(&k);
}

static void test_activations(void) {
  double et = 0, es = 0;
  int range_ok = 1, odd = 1;
  for (int i = -2000000; i <= 2000000; i += 7) {
    float xf = (float)i * 1e-5f;
    float t = pn_tanh(xf), s = pn_sigmoid(xf);
    et = fmax(et, fabs(t - tanh((double)xf)));
    es = fmax(es, fabs(s - 1.0 / (1.0 + exp(-(double)xf))));
    if (t < -1.0f || t > 1.0f || s < 0.0f || s > 1.0f) range_ok = 0;
    if (pn_tanh(-xf) != -t) odd = 0;
  }
  CHECK(et <= 5.5e-6, "tanh error <= 5.5e-6 on [-20, 20]", "max error %.3g", et);
  CHECK(es <= 2.8e-6, "sigmoid error <= 2.8e-6 on [-20, 20]", "max error %.3g", es);
  CHECK(range_ok && odd, "tanh odd and in [-1, 1], sigmoid in [0, 1]", "range or symmetry broken");
  const float big[] = {1e30f, -1e30f, INFINITY, -INFINITY, 88.0f, -88.0f};
  int ext = 1;
  for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
    float t = pn_tanh(big[i]), s = pn_sigmoid(big[i]);
    if (fabsf(t - (big[i] > 0 ? 1.0f : -1.0f)) > 1e-6f || fabsf(s - (big[i] > 0 ? 1.0f : 0.0f)) > 1e-6f)
      ext = 0;
  }
  CHECK(ext, "activations saturate at extreme inputs", "wrong value at +-1e30/inf/88");
  CHECK(pn_quantize_act(1.0f) == 254 && pn_quantize_act(-1.0f) == 0 && pn_quantize_act(0.0f) == 127 &&
            pn_quantize_act(7.0f) == 254 && pn_quantize_act(-7.0f) == 0 &&
            pn_quantize_act(0.5f / 127.0f + 1e-6f) == 128 && pn_quantize_act(NAN) == 0,
        "activation codes: range, clamping, rounding", "unexpected code");
}

/* The float product of every variant bit-identical to the C variant: each
 * output is bias + w0 x0 + w1 x1 + ... rounded step by step in that order
 * on every path (pn_kernels.h). Values span large and subnormal
 * magnitudes; row counts hit every vector tail. */
static void test_float_exact(void) {
  const int rows[] = {1, 3, 4, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 128, 130};
  const int cols[] = {1, 2, 7, 70, 210};
  float *w = malloc(sizeof(float) * 130 * 210), *x = malloc(sizeof(float) * 210);
  float *b = malloc(sizeof(float) * 130), *ref = malloc(sizeof(float) * 130);
  float *out = malloc(sizeof(float) * 131);
  if (!w || !x || !b || !ref || !out) return;
  long bad[PN_KISA_COUNT] = {0}, cases = 0;
  for (size_t ri = 0; ri < sizeof rows / sizeof rows[0]; ri++)
    for (size_t ci = 0; ci < sizeof cols / sizeof cols[0]; ci++) {
      int R = rows[ri], C = cols[ci];
      for (int i = 0; i < R * C; i++) {
        float v = (float)irand(-1000000, 1000000) * 1e-6f;
        int kind = irand(0, 19);
        w[i] = kind == 0 ? v * 1e30f : kind == 1 ? v * 1e-40f : v; /* huge, subnormal */
      }
      for (int i = 0; i < C; i++) x[i] = (float)irand(-1000000, 1000000) * 1e-5f;
      for (int i = 0; i < R; i++) b[i] = (float)irand(-1000, 1000) * 1e-3f;
      pn_kernels_get(PN_KISA_C)->gemv_f32(R, C, w, b, x, ref);
      for (int v = 0; v < nvariants; v++) {
        out[R] = 12345.0f; /* guard: must stay untouched */
        pn_kernels_get(variants[v])->gemv_f32(R, C, w, b, x, out);
        if (memcmp(out, ref, sizeof(float) * (size_t)R) != 0 || out[R] != 12345.0f) bad[variants[v]]++;
      }
      cases++;
    }
  for (int v = 0; v < nvariants; v++) {
    char name[96];
    snprintf(name, sizeof name, "%s float product bit-identical to c (%ld shapes)",
             pn_cpu_kernel_name(variants[v]), cases);
    CHECK(bad[variants[v]] == 0, name, "%ld shapes differ or wrote past the end", bad[variants[v]]);
  }
  free(w);
  free(x);
  free(b);
  free(ref);
  free(out);
}

/* Negative control: weights breaking the pair rule (127 + 127 > 129) with
 * activations at 254 saturate the int16 pair sum of the u8*s8 instruction,
 * so the SSE4.1/AVX2/AVX-512BW kernels must then differ from the reference:
 * this shows the exactness checks above can fail and why the rule exists. */
static void test_rule_matters(void) {
  Case k;
  if (!make_case(&k, 16, 8, W_ZERO, X_MAX)) return;
  for (int c = 0; c < 8; c++) k.w8[pn_packed_index(k.cp, 0, c)] = 127;
  k.wsum[0] = 8 * 127;
  int32_t out[16];
  for (int v = 0; v < nvariants; v++) {
    int isa = variants[v];
    if (isa != PN_KISA_SSE41 && isa != PN_KISA_AVX2 && isa != PN_KISA_AVX512BW) continue;
    pn_kernels_get(isa)->gemv_i8(k.rp, k.cp, k.w8, k.wsum, k.x, out);
    char name[96];
    snprintf(name, sizeof name, "%s saturates when the pair rule is broken (control)",
             pn_cpu_kernel_name(isa));
    CHECK(out[0] != 8 * 127 * 127, name, "no saturation seen: the control is void");
  }
  free_case(&k);
}

int main(void) {
  available_variants();
  test_exact();
  test_float_exact();
  test_rule_matters();
  test_layer_vs_float();
  test_activations();
  return test_exit();
}
