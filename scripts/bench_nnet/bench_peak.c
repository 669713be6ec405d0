/*
 * bench_peak.c - machine figures for bench_nnet: the core clock (a chain of
 * dependent integer adds retires one add per cycle) and the measured peak
 * rate of the AVX-512 VNNI int8 multiply-accumulate (12 independent
 * vpdpbusd chains in registers, no memory traffic) and the rate of the same
 * instruction streaming weights from a buffer of a given size (one MAC per
 * byte: the memory-bound ceiling of a matrix-vector product). Compiled with
 * -mavx512f -mavx512bw -mavx512vnni on x86-64 (bench_nnet.mk); called only
 * when the CPU has VNNI.
 */
#include "bench_peak.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#if defined(__x86_64__)
#include <immintrin.h>

double bench_clock_hz(void) {
  double best = 0.0;
  /* many short runs, the fastest kept: preemption only ever adds time */
  for (int rep = 0; rep < 60; rep++) {
    uint64_t x = 0, n = 1000000; /* iterations, 8 dependent adds each */
    double t0 = now_s();
    __asm__ volatile(
        "1:\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "dec %1\n\tjnz 1b"
        : "+r"(x), "+r"(n));
    double hz = 8.0 * 1000000.0 / (now_s() - t0);
    if (hz > best) best = hz;
  }
  return best;
}

#if defined(__AVX512VNNI__)
double bench_vnni_peak_macs_per_s(void) {
  double best = 0.0;
  for (int rep = 0; rep < 40; rep++) {
    __m512i a0 = _mm512_set1_epi32(0), a1 = _mm512_set1_epi32(1), a2 = _mm512_set1_epi32(2);
    __m512i a3 = _mm512_set1_epi32(3), a4 = _mm512_set1_epi32(4), a5 = _mm512_set1_epi32(5);
    __m512i a6 = _mm512_set1_epi32(6), a7 = _mm512_set1_epi32(7), a8 = _mm512_set1_epi32(8);
    __m512i a9 = _mm512_set1_epi32(9), a10 = _mm512_set1_epi32(10), a11 = _mm512_set1_epi32(11);
    __m512i u = _mm512_set1_epi8(3), s = _mm512_set1_epi8(-2);
    long iters = 100000;
    double t0 = now_s();
    for (long it = 0; it < iters; it++) {
      a0 = _mm512_dpbusd_epi32(a0, u, s);
      a1 = _mm512_dpbusd_epi32(a1, u, s);
      a2 = _mm512_dpbusd_epi32(a2, u, s);
      a3 = _mm512_dpbusd_epi32(a3, u, s);
      a4 = _mm512_dpbusd_epi32(a4, u, s);
      a5 = _mm512_dpbusd_epi32(a5, u, s);
      a6 = _mm512_dpbusd_epi32(a6, u, s);
      a7 = _mm512_dpbusd_epi32(a7, u, s);
      a8 = _mm512_dpbusd_epi32(a8, u, s);
      a9 = _mm512_dpbusd_epi32(a9, u, s);
      a10 = _mm512_dpbusd_epi32(a10, u, s);
      a11 = _mm512_dpbusd_epi32(a11, u, s);
      __asm__ volatile("" : "+v"(u), "+v"(s)); /* keep the loop */
    }
    double dt = now_s() - t0;
    __m512i sum = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
                                   _mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7)));
    sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(a8, a9), _mm512_add_epi32(a10, a11)));
    volatile int sink = _mm512_reduce_add_epi32(sum);
    (void)sink;
    double rate = (double)iters * 12.0 * 64.0 / dt; /* 64 MACs per vpdpbusd */
    if (rate > best) best = rate;
  }
  return best;
}

double bench_vnni_stream_macs_per_s(size_t bytes) {
  bytes = bytes / 512 * 512;
  int8_t *w = aligned_alloc(64, bytes);
  if (!w || bytes == 0) {
    free(w);
    return 0.0;
  }
  for (size_t i = 0; i < bytes; i++) w[i] = (int8_t)(i % 7);
  double best = 0.0;
  __m512i sum = _mm512_setzero_si512();
  const __m512i xb = _mm512_set1_epi32(0x01020304);
  for (int rep = 0; rep < 40; rep++) {
    int passes = 50;
    double t0 = now_s();
    for (int k = 0; k < passes; k++) {
      __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
      __m512i a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (size_t o = 0; o < bytes; o += 512) {
        a0 = _mm512_dpbusd_epi32(a0, xb, _mm512_load_si512((const void *)(w + o)));
        a1 = _mm512_dpbusd_epi32(a1, xb, _mm512_load_si512((const void *)(w + o + 64)));
        a2 = _mm512_dpbusd_epi32(a2, xb, _mm512_load_si512((const void *)(w + o + 128)));
        a3 = _mm512_dpbusd_epi32(a3, xb, _mm512_load_si512((const void *)(w + o + 192)));
        a4 = _mm512_dpbusd_epi32(a4, xb, _mm512_load_si512((const void *)(w + o + 256)));
        a5 = _mm512_dpbusd_epi32(a5, xb, _mm512_load_si512((const void *)(w + o + 320)));
        a6 = _mm512_dpbusd_epi32(a6, xb, _mm512_load_si512((const void *)(w + o + 384)));
        a7 = _mm512_dpbusd_epi32(a7, xb, _mm512_load_si512((const void *)(w + o + 448)));
      }
      sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
                                                   _mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7))));
    }
    double rate = (double)bytes * passes / (now_s() - t0); /* one MAC per weight byte */
    if (rate > best) best = rate;
  }
  volatile int sink = _mm512_reduce_add_epi32(sum);
  (void)sink;
  free(w);
  return best;
}
#else
double bench_vnni_peak_macs_per_s(void) { return 0.0; }
double bench_vnni_stream_macs_per_s(size_t bytes) {
  (void)bytes;
  return 0.0;
}
#endif
#else
double bench_clock_hz(void) { return 0.0; }
double bench_vnni_peak_macs_per_s(void) { return 0.0; }
double bench_vnni_stream_macs_per_s(size_t bytes) {
  (void)bytes;
  return 0.0;
}
#endif
