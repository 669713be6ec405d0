/* dump_fft.c - FFT convolution and shaping; see dump_fft.h. */
#include "dump_fft.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int dfft_create(DumpFft *f, int max_len, int max_ir) {
  memset(f, 0, sizeof *f);
  f->max_len = max_len;
  f->max_ir = max_ir;
  f->nfft = kiss_fftr_next_fast_size_real(max_len + max_ir);
  f->fwd = kiss_fftr_alloc(f->nfft, 0, NULL, NULL);
  f->inv = kiss_fftr_alloc(f->nfft, 1, NULL, NULL);
  f->time = malloc(sizeof *f->time * (size_t)f->nfft);
  f->spec_a = malloc(sizeof *f->spec_a * (size_t)(f->nfft / 2 + 1));
  f->spec_b = malloc(sizeof *f->spec_b * (size_t)(f->nfft / 2 + 1));
  if (!f->fwd || !f->inv || !f->time || !f->spec_a || !f->spec_b) {
    dfft_destroy(f);
    return -1;
  }
  return 0;
}

void dfft_destroy(DumpFft *f) {
  kiss_fftr_free(f->fwd);
  kiss_fftr_free(f->inv);
  free(f->time);
  free(f->spec_a);
  free(f->spec_b);
  memset(f, 0, sizeof *f);
}

static void forward(DumpFft *f, const float *x, int n, kiss_fft_cpx *out) {
  assert(n >= 0 && n <= f->nfft);
  memcpy(f->time, x, sizeof *x * (size_t)n);
  memset(f->time + n, 0, sizeof *f->time * (size_t)(f->nfft - n));
  kiss_fftr(f->fwd, f->time, out);
}

/* out[0..n) <- inverse(spec) / nfft */
static void inverse(DumpFft *f, const kiss_fft_cpx *spec, float *out, int n) {
  assert(n >= 0 && n <= f->nfft);
  kiss_fftri(f->inv, spec, f->time);
  const float scale = 1.0f / (float)f->nfft;
  for (int i = 0; i < n; i++) out[i] = f->time[i] * scale;
}

static void mul_inverse(DumpFft *f, const float *h, int n_h, float *y, int n) {
  const int nb = f->nfft / 2 + 1;
  forward(f, h, n_h, f->spec_b);
  for (int k = 0; k < nb; k++) {
    const kiss_fft_cpx a = f->spec_a[k], b = f->spec_b[k];
    f->spec_b[k].r = a.r * b.r - a.i * b.i;
    f->spec_b[k].i = a.r * b.i + a.i * b.r;
  }
  inverse(f, f->spec_b, y, n);
}

void dfft_convolve2(DumpFft *f, const float *x, int n, const float *h0, int n_h0,
                    float *y0, const float *h1, int n_h1, float *y1) {
  assert(n <= f->max_len && n_h0 <= f->max_ir && n_h1 <= f->max_ir);
  forward(f, x, n, f->spec_a);
  mul_inverse(f, h0, n_h0, y0, n);
  if (h1 && y1) mul_inverse(f, h1, n_h1, y1, n);
}

void dfft_shape(DumpFft *f, float *x, int n, DfftGain gain, const void *ctx) {
  assert(n <= f->max_len + f->max_ir);
  const int nb = f->nfft / 2 + 1;
  forward(f, x, n, f->spec_a);
  for (int k = 0; k < nb; k++) {
    const float g = gain((float)k * 48000.0f / (float)f->nfft, ctx);
    f->spec_a[k].r *= g;
    f->spec_a[k].i *= g;
  }
  inverse(f, f->spec_a, x, n);
}
