/*
 * dsp_const.h - sizes shared by the signal chain (48 kHz only).
 *
 * Timeline: step t receives input samples [480 t, 480 t + 480). Analysis
 * frame t is the 960-sample window [480 (t - 1), 480 (t + 1)). The frame
 * enhanced at step t is l = t - 2 (two frames of look-ahead), and the samples
 * completed by its overlap-add are [480 (t - 3), 480 (t - 2)): the delay is
 * 480 (overlap) + 2 * 480 (look-ahead) = 1440 samples = 30 ms.
 *
 * Internal scale: samples stay in [-1, 1] (clamped to +-PN_INPUT_CLAMP). Band
 * "energies" everywhere are mean power per FFT bin normalised so that white
 * noise of variance s^2 reads s^2 in every band (|X(k)|^2 / sum w^2, with
 * sum w^2 = 480 for the Vorbis window).
 */
#ifndef DSP_CONST_H
#define DSP_CONST_H

#define PN_FRAME 480          /* hop, samples (10 ms) */
#define PN_WINDOW 960         /* analysis window and FFT size, samples */
#define PN_FREQ 481           /* real-FFT bins, 50 Hz apart */
#define PN_BANDS 34           /* ERB bands */
#define PN_LOOKAHEAD 2        /* frames of look-ahead */
#define PN_DELAY (PN_FRAME + PN_LOOKAHEAD * PN_FRAME) /* 1440 samples */
#define PN_PERIOD_MIN 60      /* pitch period range, samples at 48 kHz */
#define PN_PERIOD_MAX 768
/* Input history: the enhanced frame's window starts 1920 samples before the
 * newest sample and its comb filter reaches back up to 960 more. */
#define PN_HIST 2880
#define PN_OUT_WIN_START (PN_HIST - PN_FRAME * (PN_LOOKAHEAD + 2)) /* 960 */
#define PN_INPUT_CLAMP 2.0f   /* |sample| limit after sanitising (+6 dBFS) */
#define PN_PI 3.14159265358979323846

/* Status of the signal chain's functions that can fail (only allocation). */
enum { PN_DSP_OK = 0, PN_DSP_ERR_ALLOC = -1 };

#endif
