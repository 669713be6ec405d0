/*
 * dump_rir.h - generated room impulse responses at 48 kHz.
 *
 * Two kinds, drawn at random:
 *  - shoebox: image-source model (Allen and Berkley) of a random rectangular
 *    room (3-12 x 2.5-10 x 2.4-4 m), one reflection coefficient for all walls
 *    set from the drawn RT60 by Sabine's formula (alpha = 0.161 V / (S RT60)),
 *    talker and microphone >= 0.5 m from the walls and 0.3-4 m apart,
 *    images up to 80 ms after the direct path placed with a windowed-sinc
 *    fractional delay, continued by a Gaussian tail whose amplitude decays by
 *    60 dB over RT60 and whose level matches the images' energy density at
 *    the hand-over;
 *  - noise tail: a direct impulse plus an exponentially decaying Gaussian tail
 *    (pre-delay 1-8 ms, direct-to-reverberant ratio -6..+12 dB).
 * The late part is low-passed at 3-16 kHz (walls and air absorb high
 * frequencies first). The direct path sits at sample RIR_DIRECT_AT with
 * amplitude 1 in both the full and the early response.
 *
 * The early response (the training target's room) is the full response up
 * to 10 ms after the direct path, faded out over the last 2 ms.
 */
#ifndef DUMP_RIR_H
#define DUMP_RIR_H

#include "dump_rng.h"

#define RIR_DIRECT_AT 16        /* samples: half-width of the sinc kernel */
#define RIR_EARLY_MS 10.0
#define RIR_MAX_LEN (48000 * 6 / 5 + 2 * RIR_DIRECT_AT) /* 1.2 s: RT60 <= 1 s */

typedef struct {
  float rt60_s;        /* drawn reverberation time, s */
  int shoebox;         /* 1 image-source room, 0 noise tail */
  int n_full, n_early; /* lengths, samples (<= RIR_MAX_LEN) */
} RirInfo;

/* Fills full[0..RIR_MAX_LEN) and early[0..RIR_MAX_LEN) (zeros past their
 * lengths). rt60 range [rt60_min, rt60_max] in s, within [0.05, 1.0]. */
void rir_generate(DumpRng *r, float rt60_min, float rt60_max, float *full, float *early,
                  RirInfo *info);

#endif
