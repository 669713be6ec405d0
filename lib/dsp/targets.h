/*
 * targets.h - ideal band gains g_b, comb strengths r_b and the VAD target,
 * from the noisy (Y) and clean (X) analyses of one frame. The same code
 * serves the training dump and the oracle mode.
 *
 * Gain: g_b = sqrt((E_X + 1e-12) / (E_Y + 1e-12)), at most 1.
 *
 * Strength: a band coherence q (channel.h: correlation of the band with
 * its side-tap comb S) is turned into a harmonic energy share
 * a = S_h / (S_h + N): for y = s + n, q = a / sqrt(a + rho' (1 - a)) with
 * rho' the side comb's white-noise power factor, so
 *   a = (q^2 (1 - rho') + sqrt(q^4 (1 - rho')^2 + 4 q^2 rho')) / 2.
 * The mix z = (1 - r) y + r p of the noisy band and the full comb output
 * keeps the harmonic part and leaves the noise power
 *   N f(r),  f(r) = 1 - 2 (1 - w0) r + (1 + rho - 2 w0) r^2
 * (w0 = centre weight, rho = sum of squared weights; the centre tap keeps
 * part of the noise correlated with the input, hence the w0 terms). r_b is
 * the smallest r giving z the clean share a_x:
 *   f(r) = K = a_y (1 - a_x) / (a_x (1 - a_y)).
 * a_x <= a_y: r = 0. When even r = 1 (f = rho) leaves too much noise, r = 1
 * and the gain is lowered by
 *   g_att = sqrt((1 + n0 - a_x) / (1 + n0 - a_p)),  n0 = 0.03,
 * a_p = a_y / (a_y + rho (1 - a_y)) being the comb output's share.
 * n0 = 0.03 is the PercepNet paper's noise-masking-tone threshold (-15 dB),
 * a perceptual choice (not an SI-SDR optimum: it attenuates slightly more
 * than SI-SDR rewards). A change alters the gain targets of every training
 * dump.
 *
 * VAD: 1 when the clean frame power is within 30 dB of a peak tracker
 * (decaying 5 dB/s) and above -90 dB; 0 when more than 40 dB below it or
 * below -100 dB; -1 ("don't care") in between.
 */
#ifndef TARGETS_H
#define TARGETS_H

#include "dsp_const.h"

/* Bands where both band powers are below this are "don't care" in dumps
 * (mean power per bin, -95 dB re full-scale white noise). */
#define PN_TARGET_SILENCE 3e-10f

/* g[34], r[34] in [0, 1] for every band. */
void pn_targets_compute(const float *Ey, const float *Ex, const float *qy,
                        const float *qx, int period, float *g, float *r);

/* Plain band gains without the comb's extra attenuation (oracle with the
 * comb filter off): g_b = min(1, sqrt((E_X + 1e-12) / (E_Y + 1e-12))). */
void pn_targets_gain_only(const float *Ey, const float *Ex, float *g);

typedef struct {
  float peak_db;
} PnVadTarget;

void pn_vad_target_reset(PnVadTarget *v);

/* clean_power: mean power per bin of the clean frame (any band average). */
float pn_vad_target(PnVadTarget *v, float clean_power);

#endif
