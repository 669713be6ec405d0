/* channel.c - see channel.h. */
#include "channel.h"
#include "comb_filter.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void pn_channel_reset(PnChannel *ch) { memset(ch, 0, sizeof(*ch)); }

int pn_sanitise(const float *in, float *out, int n) {
  int i, bad = 0;
  for (i = 0; i < n; i++) {
    float v = in[i];
    /* v != v: NaN; the comparisons also catch +-Inf */
    if (v != v) {
      v = 0.0f;
      bad++;
    } else if (v > PN_INPUT_CLAMP) {
      v = isinf(v) ? 0.0f : PN_INPUT_CLAMP;
      bad++;
    } else if (v < -PN_INPUT_CLAMP) {
      v = isinf(v) ? 0.0f : -PN_INPUT_CLAMP;
      bad++;
    }
    out[i] = v;
  }
  return bad;
}

void pn_channel_push(PnChannel *ch, PnStft *stft, const PnBands *bands,
                     const float *x) {
  memmove(ch->hist, ch->hist + PN_FRAME, (PN_HIST - PN_FRAME) * sizeof(float));
  pn_sanitise(x, ch->hist + PN_HIST - PN_FRAME, PN_FRAME);
  ch->pos = (ch->pos + 1) % PN_RING;
  pn_stft_analyse(stft, ch->hist + PN_HIST - PN_WINDOW, ch->X[ch->pos]);
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
  int b;
  float EX[PN_BANDS];
  pn_comb_filter(ch->hist, PN_HIST, PN_OUT_WIN_START, PN_WINDOW, period, ch->comb);
  pn_stft_analyse(stft, ch->comb, ch->P);
  pn_band_energy_xcorr(bands, pn_channel_spectrum(ch, PN_LOOKAHEAD), ch->P, EX,
                       ch->EP, ch->C);
  {
    const float w0 = pn_comb_centre(period), iw = 1.0f / (1.0f - w0);
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
