/*
 * test_chain.c - the public state API with the network: delay, silence in ->
 * silence out, hostile input (NaN, Inf, +-1e30, denormals) gives finite,
 * bounded output and the state recovers within 1 s, attenuation limit,
 * linked channels, independent states, in-place processing, error codes.
 */
#include "percepnet.h"
#include "fixture.h"
#include "synth.h"
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F PERCEPNET_FRAME_SIZE

static PercepnetState *make(void) {
  int err;
  PercepnetState *st = percepnet_create(NULL, &err);
  if (!st) fprintf(stderr, "create: %s\n", percepnet_strerror(err));
  return st;
}

/* Processes `frames` frames of x into y with a fresh state. */
static void run(const float *x, float *y, int frames, float atten_db, float *min_gain) {
  PercepnetState *st = make();
  PercepnetFrameInfo info;
  int t, b;
  if (!st) return;
  percepnet_set_atten_limit(st, atten_db);
  if (min_gain) *min_gain = 1e9f;
  for (t = 0; t < frames; t++) {
    percepnet_process(st, y + t * F, x + t * F);
    percepnet_get_frame_info(st, &info);
    if (min_gain)
      for (b = 0; b < PERCEPNET_NB_BANDS; b++)
        if (info.gain[b] < *min_gain) *min_gain = info.gain[b];
  }
  percepnet_destroy(st);
}

int main(void) {
  int n, frames, i, t;
  float *s = fixture_speech(&n), *x, *y, *z;
  SynthRng rng = {77};
  if (!s) {
    CHECK(0, "chain_fixture", "cannot read test/data/speech_48k.s16");
    return test_exit();
  }
  frames = n / F;
  n = frames * F;
  x = malloc(n * sizeof(float));
  y = malloc(n * sizeof(float));
  z = malloc(n * sizeof(float));
  if (!x || !y || !z) return 1;
  synth_add_noise(s, x, n, 5.0, &rng);

  {
    PercepnetState *st = make();
    CHECK(st && percepnet_get_delay(st) == 1440, "chain_delay_1440", "delay %d",
          st ? percepnet_get_delay(st) : -1);
    CHECK(percepnet_process(NULL, y, x) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_set_atten_limit(st, -3.0f) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_set_atten_limit(st, NAN) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_set_atten_limit(st, INFINITY) == PERCEPNET_OK,
          "chain_bad_args", "unexpected return codes");
    CHECK(strlen(percepnet_version()) > 0 && percepnet_strerror(-99) != NULL &&
              strcmp(percepnet_strerror(PERCEPNET_ERR_CPU), percepnet_strerror(0)) != 0,
          "chain_strings", "version or strerror");
    percepnet_destroy(st);
  }

  {
    /* digital silence in -> exact silence out */
    int nonzero = 0;
    memset(z, 0, n * sizeof(float));
    run(z, y, frames, 0.0f, NULL);
    for (i = 0; i < n; i++) nonzero += y[i] != 0.0f;
    CHECK(nonzero == 0, "chain_silence_in_silence_out", "%d non-zero samples", nonzero);
  }

  {
    /* hostile frames 100..109; outputs finite and within +-2 everywhere;
     * from 1 s after the burst on, the output is within -40 dB of an
     * undisturbed run, or at least 10 dB closer to it than a fresh state
     * started right after the burst: a trained GRU remembers its history
     * for longer than 1 s (test/robust/test_recovery.c measures this), so
     * any change of input leaves a decaying trace; a burst that steered or
     * stuck in the state would leave one as large as the fresh state's */
    float *ref = malloc(n * sizeof(float)), *h = malloc(n * sizeof(float));
    float *fr = malloc(n * sizeof(float));
    int bad = 0;
    double diff = 0.0, dfresh = 0.0, pow_ref = 0.0, db, dbf;
    if (!ref || !h || !fr) return 1;
    memcpy(h, x, n * sizeof(float));
    for (i = 100 * F; i < 110 * F; i++) {
      switch ((i / 97) % 6) {
        case 0: h[i] = NAN; break;
        case 1: h[i] = INFINITY; break;
        case 2: h[i] = -INFINITY; break;
        case 3: h[i] = (i & 1) ? 1e30f : -1e30f; break;
        case 4: h[i] = FLT_MIN / 3.0f; break; /* denormal */
        default: h[i] = 1.0f; break;          /* DC at full scale */
      }
    }
    run(x, ref, frames, 0.0f, NULL);
    run(h, y, frames, 0.0f, NULL);
    run(x + 110 * F, fr, frames - 110, 0.0f, NULL); /* fr[k] is ref[k + 110 F] */
    for (i = 0; i < n; i++)
      if (!isfinite(y[i]) || fabsf(y[i]) > 2.0f) bad++;
    CHECK(bad == 0, "chain_hostile_output_bounded", "%d samples not finite or beyond +-2", bad);
    /* burst ends at frame 110 (+3 frames of delay); compare 1 s later on */
    for (i = 213 * F; i < n; i++) {
      double d = (double)y[i] - ref[i], e = (double)fr[i - 110 * F] - ref[i];
      diff += d * d;
      dfresh += e * e;
      pow_ref += (double)ref[i] * ref[i];
    }
    db = 10.0 * log10(diff / (pow_ref + 1e-30) + 1e-30);
    dbf = 10.0 * log10(dfresh / (pow_ref + 1e-30) + 1e-30);
    printf("# output 1 s after the burst differs from the undisturbed run by %.1f dB "
           "(a fresh state started after the burst: %.1f dB)\n", db, dbf);
    CHECK(db < -40.0 || db <= dbf - 10.0, "chain_hostile_recovers_within_1s",
          "difference %.1f dB (limit -40 dB, or 10 dB below the fresh state's %.1f dB)", db, dbf);
    free(fr);
    free(ref);
    free(h);
  }

  {
    /* attenuation limit: every final band gain stays >= -12 dB */
    float min_gain;
    run(x, y, frames, 12.0f, &min_gain);
    CHECK(min_gain >= powf(10.0f, -12.0f / 20.0f) * 0.9999f, "chain_atten_limit_12dB",
          "min gain %.4f", min_gain);
  }

  {
    /* two states, same input: identical output; in-place equals out-of-place */
    PercepnetState *a = make(), *b = make();
    float buf[F];
    int diff = 0;
    for (t = 0; t < 200; t++) {
      memcpy(buf, x + t * F, sizeof(buf));
      percepnet_process(a, y + t * F, x + t * F);
      percepnet_process(b, buf, buf);
      diff += memcmp(buf, y + t * F, sizeof(buf)) != 0;
    }
    CHECK(diff == 0, "chain_states_independent_in_place", "%d frames differ", diff);
    percepnet_destroy(a);
    percepnet_destroy(b);
  }

  {
    /* linked: one gain set for both channels, the larger of the two; with
     * the same signal on both channels the outputs are equal */
    PercepnetState *st[2] = {make(), make()};
    PercepnetFrameInfo i0, i1;
    float *outp[2], *inp[2], o0[F] = {0}, o1[F] = {0};
    int gdiff = 0, odiff = 0;
    outp[0] = o0;
    outp[1] = o1;
    for (t = 0; t < 300; t++) {
      inp[0] = x + t * F;
      inp[1] = (t < 150) ? x + t * F : s + t * F; /* then clean on channel 1 */
      percepnet_process_linked(st, 2, outp, (const float *const *)inp);
      percepnet_get_frame_info(st[0], &i0);
      percepnet_get_frame_info(st[1], &i1);
      gdiff += memcmp(i0.gain, i1.gain, sizeof(i0.gain)) != 0;
      if (t < 150) odiff += memcmp(o0, o1, sizeof(o0)) != 0;
    }
    CHECK(gdiff == 0, "chain_linked_same_gains", "%d frames with different gains", gdiff);
    CHECK(odiff == 0, "chain_linked_same_input_same_output", "%d frames differ", odiff);
    percepnet_destroy(st[0]);
    percepnet_destroy(st[1]);
  }

  {
    /* pre-roll: preroll(head) then the stream == the stream preceded by
     * PERCEPNET_PREROLL_SPAN samples of the head's mirror image, reflected
     * back and forth (period 2 hn), output for output */
    const int hn = PERCEPNET_PREROLL_MAX, hf = PERCEPNET_PREROLL_SPAN / F;
    float *rev = malloc((size_t)(PERCEPNET_PREROLL_SPAN + n) * sizeof(float));
    float *ref = malloc((size_t)(PERCEPNET_PREROLL_SPAN + n) * sizeof(float));
    PercepnetState *a = make(), *b = make();
    int diff = 0, bad_arg;
    if (!rev || !ref) return 1;
    for (i = 0; i < PERCEPNET_PREROLL_SPAN; i++) {
      const int u = (PERCEPNET_PREROLL_SPAN - 1 - i) % (2 * hn); /* time -1 - u */
      rev[i] = x[u < hn ? u : 2 * hn - 1 - u];
    }
    memcpy(rev + PERCEPNET_PREROLL_SPAN, x, (size_t)n * sizeof(float));
    for (t = 0; t < hf + frames; t++) percepnet_process(a, ref + t * F, rev + t * F);
    percepnet_preroll(b, x, hn + 123); /* longer than the maximum: clipped */
    for (t = 0; t < frames; t++) {
      percepnet_process(b, y + t * F, x + t * F);
      diff += memcmp(y + t * F, ref + (hf + t) * F, F * sizeof(float)) != 0;
    }
    bad_arg = percepnet_preroll(b, NULL, 480) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_preroll(b, x, -1) == PERCEPNET_ERR_BAD_ARG &&
              percepnet_preroll(b, NULL, 0) == PERCEPNET_OK;
    CHECK(diff == 0, "chain_preroll_is_mirrored_head", "%d frames differ", diff);
    CHECK(bad_arg, "chain_preroll_bad_args", "unexpected return codes");
    percepnet_destroy(a);
    percepnet_destroy(b);
    free(rev);
    free(ref);
  }

  {
    /* frame info ranges over a noisy speech run */
    PercepnetState *st = make();
    PercepnetFrameInfo info;
    int bad = 0, b;
    for (t = 0; t < frames; t++) {
      percepnet_process(st, y + t * F, x + t * F);
      percepnet_get_frame_info(st, &info);
      for (b = 0; b < PERCEPNET_NB_BANDS; b++)
        bad += !(info.gain[b] >= 0.0f && info.gain[b] <= 1.0f) ||
               !(info.strength[b] >= 0.0f && info.strength[b] <= 1.0f);
      bad += !(info.vad >= 0.0f && info.vad <= 1.0f) ||
             !(info.pitch_period >= 60.0f && info.pitch_period <= 768.0f) ||
             !(info.pitch_corr >= 0.0f && info.pitch_corr <= 1.0f);
    }
    CHECK(bad == 0, "chain_frame_info_ranges", "%d values out of range", bad);
    percepnet_destroy(st);
  }
  free(s);
  free(x);
  free(y);
  free(z);
  return test_exit();
}
