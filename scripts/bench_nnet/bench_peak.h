/* bench_peak.h - core clock and VNNI peak rate measurements (bench only). */
#ifndef BENCH_PEAK_H
#define BENCH_PEAK_H

double bench_clock_hz(void);             /* cycles per second, 0 if unknown */
#include <stddef.h>

double bench_vnni_peak_macs_per_s(void); /* int8 MACs per second, 0 if n/a */
/* vpdpbusd streaming `bytes` of weights (one MAC per byte), MACs/s, 0 if n/a */
double bench_vnni_stream_macs_per_s(size_t bytes);

#endif
