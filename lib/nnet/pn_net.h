/*
 * pn_net.h - the denoiser network as the signal chain sees it (internal).
 *
 * Network (every size comes from the model file: F features per step, B
 * bands, C1, H; the signal chain checks F and B against its own):
 *   features[F] -> conv1 (k=3, F->C1, tanh, float weights)
 *                -> conv2 (k=3, C1->H, tanh, int8)
 *                -> gru1 (H, int8) -> gru2 (H, int8)
 *   concat[conv2, gru1, gru2] (3H) -> dense_g (B, sigmoid)   band gains
 *                                  -> dense_r (B, sigmoid)   comb strengths
 *                                  -> dense_vad (1, sigmoid) speech probability
 * Convolutions are causal and stream with a state (the last 2 inputs).
 * Step t consumes the features computed at frame t (whose band energies are
 * those of the newest frame and whose coherences are those of the output frame
 * t-2) and predicts the gains, strengths and VAD of output frame t-2; the
 * look-ahead is in the features, not in the network.
 */
#ifndef PN_NET_H
#define PN_NET_H

#include "pn_model.h"

typedef struct PnNet PnNet; /* per-stream network state (conv memories, GRU states) */

/* Validates that model's layers fit the network above together (any F and B
 * within PN_MAX_SIZE, heads B/B/1); whether F and B are those of the signal
 * chain is the chain's check (lib/percepnet_model.c). Returns PN_OK or
 * PN_ERR_SHAPE. */
int pn_net_check_model(const PnModel *model);

/* cpu_level: a PN_CPU_* level (pn_cpu.h) this machine supports, or -1 for
 * the best one (pn_cpu_detect()). Returns NULL
 * when the model does not fit, the level is not available or memory runs out.
 * The model must outlive the net. */
PnNet *pn_net_create(const PnModel *model, int cpu_level);
void pn_net_destroy(PnNet *net);
void pn_net_reset(PnNet *net);               /* zero all memories */
/* PN_OK, PN_ERR_BAD_ARG (unknown level) or PN_ERR_CPU
 * (level not available here); the outputs are bit-identical on every x86
 * level (pn_kernels.h). */
int pn_net_set_cpu(PnNet *net, int cpu_level);

/* One 10 ms step. features: pn_model_features() values (finite; the caller
 * clamps). gains, strengths: pn_model_bands() values in [0, 1]; vad in
 * [0, 1]. */
void pn_net_run(PnNet *net, const float *features, float *gains,
                float *strengths, float *vad);

#endif
