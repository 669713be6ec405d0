/* channel.c - see channel.h. */
#include "channel.h"
#include "comb_filter.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <string.h>

void pn_channel_reset(PnChannel *ch) {
  memset(ch, 0, sizeof(*ch));
  ch->hist = ch->buf;
}

/* Non-overlapping copy of the kept history (restrict: vectorised). */
static void copy_kept(float *restrict dst, const float *restrict src) {
  int n;
  for (n = 0; n < PN_HIST - PN_FRAME; n++) dst[n] = src[n];
}

_Static_assert(PN_HIST_SPARE * PN_FRAME >= PN_HIST - PN_FRAME, "copy must not overlap");

/* out = in with NaN/Inf -> 0 and clamping to +-PN_INPUT_CLAMP (branch-free,
 * so it vectorises) */
static void sanitise(const float *restrict in, float *restrict out) {
  int i;
  for (i = 0; i < PN_FRAME; i++) {
    float v = in[i];
    v = fabsf(v) <= FLT_MAX ? v : 0.0f; /* false for NaN and +-Inf */
    v = v < PN_INPUT_CLAMP ? v : PN_INPUT_CLAMP;   /* min */
    v = v > -PN_INPUT_CLAMP ? v : -PN_INPUT_CLAMP; /* max */
    out[i] = v;
  }
}

void pn_channel_push(PnChannel *ch, PnStft *stft, const PnBands *bands,
                     const float *x) {
  float *h;
  if (ch->hist + PN_HIST + PN_FRAME > ch->buf + PN_HIST_BUF) {
    copy_kept(ch->buf, ch->hist + PN_FRAME);
    ch->hist = ch->buf;
  } else {
    ch->hist += PN_FRAME;
  }
  h = ch->hist;
  assert(h >= ch->buf && h + PN_HIST <= ch->buf + PN_HIST_BUF);
  sanitise(x, h + PN_HIST - PN_FRAME);
  ch->pos = (ch->pos + 1) % PN_RING;
  pn_stft_analyse(stft, h + PN_HIST - PN_WINDOW, ch->X[ch->pos]);
  pn_band_energy(bands, ch->X[ch->pos], ch->E[ch->pos]);
}

const kiss_fft_cpx *pn_channel_spectrum(const PnChannel *ch, int age) {
  assert(age >= 0 && age < PN_RING);
  return ch->X[(ch->pos + PN_RING - age) % PN_RING];
}

const float *pn_channel_energy(const PnChannel *ch, int age) {
  assert(age >= 0 && age < PN_RING);
  return ch->E[(ch->pos + PN_RING - age) % PN_RING];
}

void pn_channel_comb(PnChannel *ch, PnStft *stft, const PnBands *bands,
                     int period) {
  const float *EX = pn_channel_energy(ch, PN_LOOKAHEAD);
  pn_comb_filter(ch->hist, PN_HIST, PN_OUT_WIN_START, PN_WINDOW, period, stft->window,
                 pn_stft_input(stft));
  pn_stft_transform(stft, ch->P);
  pn_band_energy_xcorr(bands, pn_channel_spectrum(ch, PN_LOOKAHEAD), ch->P,
                       ch->EP, ch->C);
  {
    const float w0 = pn_comb_centre(period), iw = 1.0f / (1.0f - w0);
    int b;
    for (b = 0; b < PN_BANDS; b++) {
      /* side-tap comb S from P and X, by linearity (no extra FFT) */
      float cs = (ch->C[b] - w0 * EX[b]) * iw;
      float es = (ch->EP[b] - 2.0f * w0 * ch->C[b] + w0 * w0 * EX[b]) * iw * iw;
      /* 1e-20: far below the 1e-10 power floor, only guards 0/0 */
      float q = cs / sqrtf(EX[b] * (es > 0.0f ? es : 0.0f) + 1e-20f);
      ch->coh[b] = q < 0.0f ? 0.0f : (q > 1.0f ? 1.0f : q);
    }
  }
}
