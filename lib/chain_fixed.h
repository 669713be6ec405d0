/*
 * chain_fixed.h - internal entry point for benchmarks and tools: runs the
 * whole chain of percepnet_process() (analysis, pitch, comb, features,
 * decay limit, postfilter, attenuation floor, mixing, synthesis) with given
 * band gains and strengths in place of the network's output. Defined in
 * lib/percepnet.c. Not installed.
 */
#ifndef CHAIN_FIXED_H
#define CHAIN_FIXED_H

#include "percepnet.h"

/* gains, strengths: PERCEPNET_NB_BANDS values in [0, 1] (clamped). */
int pn_process_fixed(PercepnetState *st, float *out, const float *in,
                     const float *gains, const float *strengths);

#endif
