/*
 * bench_nnet.c - speed of the int8 engine (make bench, via run_bench.sh).
 *
 *   bench_nnet time  MODEL CPU FRAMES   wall time, microseconds per frame (the
 *                                       fastest 10-frame chunk of 10 passes)
 *   bench_nnet count MODEL CPU FRAMES   runs FRAMES steps (for callgrind)
 *   bench_nnet kernel MODEL             VNNI matrix-vector rate at the
 *                                       model's sizes
 *   bench_nnet info MODEL               sizes and weight counts
 * MODEL: a model file or "default" (the compiled-in model). CPU: a
 * level name (lib/nnet/pn_cpu.h). Features: seeded pseudo-random values of the real
 * features' magnitude (the network's cost does not depend on them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_peak.h"
#include "pn_cpu.h"
#include "pn_kernels.h"
#include "pn_model.h"
#include "pn_net.h"

#define NOMINAL_VNNI_MACS_PER_CYCLE 128.0 /* 2 ports x 64 int8 MACs per vpdpbusd */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int NF; /* features per step of the model under test */

static float *make_features(int frames) {
  float *f = malloc(sizeof(float) * (size_t)frames * NF);
  uint32_t s = 99u;
  for (size_t i = 0; f && i < (size_t)frames * NF; i++) {
    s = s * 1664525u + 1013904223u;
    f[i] = (float)(s >> 8) / 16777216.0f * 8.0f - 4.0f;
  }
  return f;
}

/* The model MODEL names: *loaded (to free) or the compiled-in one. */
static const PnModel *load(const char *path, PnModel **loaded) {
  *loaded = NULL;
  if (strcmp(path, "default") == 0) return &pn_default_model;
  if (pn_model_load_file(path, loaded, NULL) != PN_OK) {
    fprintf(stderr, "bench_nnet: cannot load %s\n", path);
    return NULL;
  }
  return *loaded;
}

static int setup(const char *path, const char *cpu, PnModel **loaded, PnNet **net) {
  int level;
  if (pn_cpu_parse(cpu, &level) != PN_OK) {
    fprintf(stderr, "bench_nnet: cpu path %s not available\n", cpu);
    return 1;
  }
  const PnModel *m = load(path, loaded);
  if (!m) return 1;
  NF = pn_model_features(m);
  *net = pn_net_create(m, level);
  return *net ? 0 : 1;
}

static void run_frames(PnNet *net, const float *feat, int frames) {
  float g[PN_MAX_SIZE], r[PN_MAX_SIZE], v;
  for (int t = 0; t < frames; t++) pn_net_run(net, feat + (size_t)t * NF, g, r, &v);
}

static int kernel_bench(const PnModel *m) {
  PnCpuFeatures f;
  pn_cpu_features(&f);
  if (!f.vnni) {
    printf("VNNI kernel: not available on this machine\n");
    return 0;
  }
  const PnKernels *k = pn_kernels_get(PN_KISA_AVX512VNNI);
  double hz = bench_clock_hz(), peak = bench_vnni_peak_macs_per_s();
  printf("core clock (dependent-add chain, fastest of 60 runs): %.2f GHz\n", hz * 1e-9);
  printf("measured VNNI peak (12 register chains): %.1f int8 MACs/cycle; nominal assumed "
         "peak: %.0f (2 vpdpbusd ports x 64 MACs)\n", peak / hz, NOMINAL_VNNI_MACS_PER_CYCLE);
  double stream = bench_vnni_stream_macs_per_s(110592); /* a 576 x 192 matrix */
  printf("vpdpbusd streaming a 108 KB weight buffer (L2-resident, like one GRU matrix): "
         "%.1f MACs/ns = %.1f MACs/cycle: the memory-bound ceiling\n", stream * 1e-9, stream / hz);
  const struct { const char *name; const PnLinear *l; } layers[] = {
      {"conv2", &m->conv2},     {"gru1_ih", &m->gru1_ih}, {"gru1_hh", &m->gru1_hh},
      {"gru2_ih", &m->gru2_ih}, {"gru2_hh", &m->gru2_hh}, {"dense_g", &m->dense_g},
      {"dense_r", &m->dense_r}, {"dense_vad", &m->dense_vad}};
  double total_s = 0.0, total_macs = 0.0;
  uint8_t *x = malloc(4096);
  int32_t *out = malloc(sizeof(int32_t) * 4096);
  if (!x || !out) return 1;
  for (int i = 0; i < 4096; i++) x[i] = (uint8_t)(i * 37 % 255);
  for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
    const PnLinear *l = layers[i].l;
    if (!l->quantized) continue;
    double best = 1e9;
    for (int rep = 0; rep < 40; rep++) {
      int iters = 1000;
      double t0 = now_s();
      for (int it = 0; it < iters; it++) {
        k->gemv_i8(l->rows_pad, l->cols_pad, l->w8, l->wsum, x, out);
        __asm__ volatile("" ::: "memory");
      }
      double per = (now_s() - t0) / iters;
      if (per < best) best = per;
    }
    double macs = (double)l->rows * (double)l->cols;
    double mpc = macs / best / hz;
    total_s += best;
    total_macs += macs;
    printf("VNNI gemv %-9s %4d x %-4d %6.0f ns %6.1f MACs/ns %5.1f MACs/cycle = %5.1f %% of "
           "nominal, %5.1f %% of measured peak\n", layers[i].name, l->rows, l->cols, best * 1e9,
           macs / best * 1e-9, mpc, 100.0 * mpc / NOMINAL_VNNI_MACS_PER_CYCLE, 100.0 * mpc * hz / peak);
  }
  if (m->gru1_ih.quantized && m->gru1_ih.rows_pad >= 64) {
    /* the first 4 stripes of a matrix are a valid 64-row matrix */
    const PnLinear *l = &m->gru1_ih;
    double best = 1e9;
    for (int rep = 0; rep < 40; rep++) {
      int iters = 4000;
      double t0 = now_s();
      for (int it = 0; it < iters; it++) {
        k->gemv_i8(64, l->cols_pad, l->w8, l->wsum, x, out);
        __asm__ volatile("" ::: "memory");
      }
      double per = (now_s() - t0) / iters;
      if (per < best) best = per;
    }
    double macs = 64.0 * l->cols;
    printf("VNNI gemv, first 64 rows of gru1_ih (%.0f KB, L1-resident): %.1f MACs/ns = %.1f "
           "MACs/cycle\n", macs / 1024.0, macs / best * 1e-9, macs / best / hz);
  }
  printf("VNNI gemv, all int8 layers of one step: %.0f int8 MACs in %.2f us = %.1f MACs/cycle "
         "= %.1f %% of nominal, %.1f %% of measured peak\n", total_macs, total_s * 1e6,
         total_macs / total_s / hz, 100.0 * total_macs / total_s / hz / NOMINAL_VNNI_MACS_PER_CYCLE,
         100.0 * total_macs / total_s / peak);
  free(x);
  free(out);
  return 0;
}

static void count_weights(const PnModel *m, long *i8, long *f32) {
  const PnLinear *l[] = {&m->conv1, &m->conv2, &m->gru1_ih, &m->gru1_hh, &m->gru2_ih,
                         &m->gru2_hh, &m->dense_g, &m->dense_r, &m->dense_vad};
  *i8 = *f32 = 0;
  for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
    *(l[i]->quantized ? i8 : f32) += (long)l[i]->rows * l[i]->cols;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "info") == 0) {
    PnModel *loaded;
    const PnModel *m = load(argv[2], &loaded);
    if (!m) return 1;
    long i8, f32;
    count_weights(m, &i8, &f32);
    printf("conv1 %d hidden %d int8 weights %ld float weights %ld id %s\n", m->conv1_size,
           m->hidden, i8, f32, m->id);
    pn_model_free(loaded);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "kernel") == 0) {
    PnModel *loaded;
    const PnModel *m = load(argv[2], &loaded);
    if (!m) return 1;
    int rc = kernel_bench(m);
    pn_model_free(loaded);
    return rc;
  }
  if (argc != 5 || (strcmp(argv[1], "time") != 0 && strcmp(argv[1], "count") != 0)) {
    fprintf(stderr, "usage: bench_nnet time|count MODEL CPU FRAMES | bench_nnet kernel|info MODEL\n");
    return 2;
  }
  int frames = atoi(argv[4]);
  if (frames < 1 || frames > 1000000) return 2;
  PnModel *loaded;
  PnNet *net;
  if (setup(argv[2], argv[3], &loaded, &net)) return 1;
  float *feat = make_features(frames);
  if (!feat) return 1;
  if (strcmp(argv[1], "count") == 0) {
    run_frames(net, feat, frames);
  } else {
    /* The machine may be shared: time chunks of 10 steps (short enough to
     * fall between preemptions) and keep the fastest chunk (interference
     * only ever adds time). */
    double best = 1e30;
    int chunk = frames < 10 ? frames : 10;
    run_frames(net, feat, chunk); /* warm caches */
    for (int rep = 0; rep < 10; rep++) {
      pn_net_reset(net);
      for (int t = 0; t + chunk <= frames; t += chunk) {
        double t0 = now_s();
        run_frames(net, feat + (size_t)t * NF, chunk);
        double dt = (now_s() - t0) / chunk;
        if (dt < best) best = dt;
      }
    }
    printf("%.3f\n", best * 1e6);
  }
  free(feat);
  pn_net_destroy(net);
  pn_model_free(loaded);
  return 0;
}
