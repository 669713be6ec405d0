/* stft.c - see stft.h. */
#include "stft.h"

#include <math.h>
#include <stdlib.h>

int pn_stft_init(PnStft *s) {
  int n;
  for (n = 0; n < PN_WINDOW; n++) {
    double v = sin(PN_PI * (n + 0.5) / PN_WINDOW);
    s->window[n] = (float)sin(0.5 * PN_PI * v * v);
  }
  s->fwd = kiss_fftr_alloc(PN_WINDOW, 0, NULL, NULL);
  s->inv = kiss_fftr_alloc(PN_WINDOW, 1, NULL, NULL);
  if (!s->fwd || !s->inv) {
    pn_stft_free(s);
    return -1;
  }
  return 0;
}

void pn_stft_free(PnStft *s) {
  if (s->fwd) kiss_fftr_free(s->fwd);
  if (s->inv) kiss_fftr_free(s->inv);
  s->fwd = NULL;
  s->inv = NULL;
}

void pn_stft_analyse(PnStft *s, const float *x, kiss_fft_cpx *X) {
  int n;
  for (n = 0; n < PN_WINDOW; n++) s->buf[n] = x[n] * s->window[n];
  kiss_fftr(s->fwd, s->buf, X);
}

void pn_stft_synthesise(PnStft *s, const kiss_fft_cpx *X, float *y) {
  int n;
  const float scale = 1.0f / PN_WINDOW;
  kiss_fftri(s->inv, X, s->buf);
  for (n = 0; n < PN_WINDOW; n++) y[n] = s->buf[n] * scale * s->window[n];
}
