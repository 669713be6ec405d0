/*
 * percepnet.h - the public API of the percepnet speech denoiser core.
 *
 * Audio is 48 kHz mono float in [-1, 1], processed in frames of
 * PERCEPNET_FRAME_SIZE (480) samples = 10 ms. Output frame n holds the
 * enhanced input delayed by percepnet_get_delay() samples (1440 = 30 ms).
 *
 * A PercepnetState is opaque and owns all mutable data: any number of states
 * may run in one process, in several threads, as long as one state is used by
 * one thread at a time. A PercepnetModel is immutable once loaded and may be
 * shared by any number of states and threads.
 *
 * Functions that can fail return PERCEPNET_OK (0) or a negative error code;
 * percepnet_strerror() turns a code into one line of text.
 */
#ifndef PERCEPNET_H
#define PERCEPNET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PERCEPNET_SAMPLE_RATE 48000 /* Hz, the only rate the core runs at */
#define PERCEPNET_FRAME_SIZE 480    /* samples per frame at 48 kHz (10 ms) */
#define PERCEPNET_NB_BANDS 34       /* ERB bands, 0 Hz .. 20 kHz */

enum {
  PERCEPNET_OK = 0,
  PERCEPNET_ERR_ALLOC = -1,       /* out of memory */
  PERCEPNET_ERR_BAD_ARG = -2,     /* NULL pointer or value out of range */
  PERCEPNET_ERR_MODEL_IO = -3,    /* model file cannot be opened or read */
  PERCEPNET_ERR_MODEL_FORMAT = -4,/* bad magic, version, size, offset, checksum */
  PERCEPNET_ERR_MODEL_VALUE = -5, /* NaN/Inf or out-of-range value in a model */
  PERCEPNET_ERR_MODEL_SHAPE = -6, /* layer sizes do not fit the network */
  PERCEPNET_ERR_CPU = -7          /* requested instruction set not available */
};

/* One line of text for an error code; never NULL. */
const char *percepnet_strerror(int err);

/* Library version string, e.g. "0.1.0". */
const char *percepnet_version(void);

/* ---- Models ------------------------------------------------------------ */

typedef struct PercepnetModel PercepnetModel;

/* The model compiled into the library. Never NULL; do not free it. */
const PercepnetModel *percepnet_model_default(void);

/* Load and fully validate a model file (format: weights/FORMAT.md).
 * On success *out holds a model to release with percepnet_model_free(). */
int percepnet_model_load_file(const char *path, PercepnetModel **out);

/* Same, from a buffer of len bytes; the buffer is copied. */
int percepnet_model_load_buffer(const void *data, size_t len,
                                PercepnetModel **out);

/* percepnet_model_load_file() that also explains a failure: *detail (if
 * not NULL) is set to a static one-line description of the first problem
 * found (e.g. "checksum mismatch (corrupted file)"), or to "" on success. */
int percepnet_model_load_file_detail(const char *path, PercepnetModel **out,
                                     const char **detail);

/* Frees a loaded model (NULL and the default model are ignored). */
void percepnet_model_free(PercepnetModel *model);

/* Model id: 16 lowercase hex digits, a hash of the model file's content. */
const char *percepnet_model_id(const PercepnetModel *model);

/* ---- Instruction sets ---------------------------------------------------- */

/* Kernel paths, from the reference to the widest. */
enum {
  PERCEPNET_CPU_C = 0,
  PERCEPNET_CPU_SSE41 = 1,
  PERCEPNET_CPU_AVX2 = 2,
  PERCEPNET_CPU_AVX512 = 3, /* AVX-512BW, with VNNI where the CPU has it */
  PERCEPNET_CPU_NEON = 4
};

/* The best path this machine supports (cpuid + XGETBV on x86). */
int percepnet_cpu_detect(void);

/* Parses "c", "sse4.1", "avx2", "avx512" or "neon" into *level and checks the
 * machine supports it: PERCEPNET_ERR_BAD_ARG for an unknown name,
 * PERCEPNET_ERR_CPU for a level this machine lacks. */
int percepnet_cpu_parse(const char *name, int *level);

/* Name of a level ("c", "sse4.1", "avx2", "avx512", "avx512-vnni", "neon"). */
const char *percepnet_cpu_name(int level);

/* ---- Denoiser state ------------------------------------------------------- */

typedef struct PercepnetState PercepnetState;

/* Creates a state running `model` (NULL = the default model) with the best
 * kernel path. On failure returns NULL and sets *error (if error != NULL). */
PercepnetState *percepnet_create(const PercepnetModel *model, int *error);

void percepnet_destroy(PercepnetState *st);

/* Forces a kernel path (a level from percepnet_cpu_parse()). */
int percepnet_set_cpu(PercepnetState *st, int level);

/* Limits the attenuation of every band to at most atten_db dB (> 0), applied
 * to the band gains inside the core; 0 or INFINITY removes the limit. */
int percepnet_set_atten_limit(PercepnetState *st, float atten_db);

/* Algorithmic delay in samples at 48 kHz (1440 = 30 ms). */
int percepnet_get_delay(const PercepnetState *st);

/* Denoises one frame: in and out hold PERCEPNET_FRAME_SIZE samples at
 * 48 kHz in [-1, 1] (in may equal out). Samples that are NaN, Inf or beyond
 * +-1e3 (+60 dBFS: not audio) are treated as 0, and for the next 60 ms the
 * network is given the features of the last frame without them; other
 * samples beyond +-2 are clamped. Output is the enhanced input delayed by
 * percepnet_get_delay(). */
int percepnet_process(PercepnetState *st, float *out, const float *in);

/* Start of a stream without a burst of unsuppressed noise: the network's
 * memory, the pitch history and the gain limits need some audio before they
 * settle. percepnet_preroll() runs the chain over the mirror image of the
 * stream's first n samples (at most PERCEPNET_PREROLL_MAX, whole frames),
 * reflected back and forth to PERCEPNET_PREROLL_SPAN samples, and discards
 * the output, so that the real first frames are processed as if that mirror
 * image had preceded them. The span is what the network's memory needs, not
 * the head's length: from its reset state a recurrent network lets noise
 * through until its state has settled on the input, which takes a few
 * hundred milliseconds; the span covers that (the README's start-of-file
 * table gives the attenuation of the first 100 ms against the span), and
 * its cost is a fixed PERCEPNET_PREROLL_SPAN / PERCEPNET_FRAME_SIZE frames
 * of analysis and network per stream (only the last one is also
 * synthesised). Deterministic; call it once
 * right after percepnet_create() with the head of the stream (n < 480 does
 * nothing). The delay is unchanged: the first percepnet_get_delay() output
 * samples are then the pre-roll's tail and are dropped as usual. For linked
 * channels, feed the reversed heads through percepnet_process_linked(). */
#define PERCEPNET_PREROLL_MAX 9600 /* samples (200 ms) */
#define PERCEPNET_PREROLL_SPAN 24000 /* samples (0.5 s) the pre-roll runs */
int percepnet_preroll(PercepnetState *st, const float *head, int n);

/* Denoises one frame of n channels with one state per channel and one gain
 * per band for all channels (the largest of the channels' gains), for true
 * stereo sources. All states must use the same model. */
int percepnet_process_linked(PercepnetState *const *st, int n,
                             float *const *out, const float *const *in);

/* Oracle mode: runs the chain with the ideal gains and comb strengths
 * computed from the clean reference (aligned with noisy, same length). */
int percepnet_process_oracle(PercepnetState *st, float *out,
                             const float *noisy, const float *clean);

/* Oracle variant switch, comb one of:
 *   PERCEPNET_ORACLE_NO_COMB      every comb strength forced to 0
 *   PERCEPNET_ORACLE_COMB         ideal strengths, the comb on the pitch of the
 *                                 noisy input (what the network can reach; default)
 *   PERCEPNET_ORACLE_CLEAN_PITCH  ideal strengths, both combs on the pitch of the
 *                                 clean reference (what a perfect pitch path adds)
 * Returns PERCEPNET_ERR_BAD_ARG for any other value. */
#define PERCEPNET_ORACLE_NO_COMB 0
#define PERCEPNET_ORACLE_COMB 1
#define PERCEPNET_ORACLE_CLEAN_PITCH 2
int percepnet_set_oracle_comb(PercepnetState *st, int comb);

/* Stages after the network (or the oracle) that can be switched on or off
 * to measure what each contributes. Until percepnet_set_stages() is called,
 * percepnet_process() and _linked() use PERCEPNET_STAGE_DEFAULT (the comb and
 * the decay limit: the built-in model scores better without the postfilter
 * at every SNR but -5 dB) and percepnet_process_oracle() uses
 * PERCEPNET_STAGE_ORACLE_DEFAULT (all three: the postfilter adds 0.1-0.4 dB
 * to the ideal gains); the README's quality section has the figures.
 *   COMB         comb-filter mixing (off: every strength forced to 0 after
 *                the network; the oracle's own comb-free variant, whose gains
 *                differ, is percepnet_set_oracle_comb)
 *   DECAY_LIMIT  the limit on how fast a band gain may fall per frame
 *   POSTFILTER   the envelope postfilter on the band gains */
enum {
  PERCEPNET_STAGE_COMB = 1,
  PERCEPNET_STAGE_DECAY_LIMIT = 2,
  PERCEPNET_STAGE_POSTFILTER = 4,
  PERCEPNET_STAGE_ALL = 7,
  PERCEPNET_STAGE_DEFAULT = PERCEPNET_STAGE_COMB | PERCEPNET_STAGE_DECAY_LIMIT,
  PERCEPNET_STAGE_ORACLE_DEFAULT = PERCEPNET_STAGE_ALL
};

/* stages: a combination of PERCEPNET_STAGE_* flags (the stages left on). */
int percepnet_set_stages(PercepnetState *st, int stages);

/* Analysis of the frame last returned by a process call (the output frame,
 * i.e. delayed like the audio). */
typedef struct {
  float gain[PERCEPNET_NB_BANDS];     /* final band gains, after postfilter, linear */
  float strength[PERCEPNET_NB_BANDS]; /* comb-filter strengths r_b in [0, 1] */
  float vad;                          /* speech probability in [0, 1] */
  float pitch_period;                 /* samples at 48 kHz, 60..768 */
  float pitch_corr;                   /* normalised correlation in [0, 1] */
  int voiced;                         /* 1 when the tracker found a pitch */
} PercepnetFrameInfo;

int percepnet_get_frame_info(const PercepnetState *st, PercepnetFrameInfo *info);

#ifdef __cplusplus
}
#endif

#endif /* PERCEPNET_H */
