/*
 * pn_activations.h - tanh and sigmoid used by every kernel path (compiled
 * once, plain float arithmetic, no libm), so every path gets the same bits.
 */
#ifndef PN_ACTIVATIONS_H
#define PN_ACTIVATIONS_H

/* tanh(x): max |error| 5.5e-6 for any finite x; output in [-1, 1]. */
float pn_tanh(float x);
/* 1 / (1 + exp(-x)) = 0.5 + 0.5 tanh(x / 2): max |error| 2.8e-6, in [0, 1]. */
float pn_sigmoid(float x);

void pn_tanh_vec(float *y, const float *x, int n);    /* y may equal x */
void pn_sigmoid_vec(float *y, const float *x, int n); /* y may equal x */

#endif
