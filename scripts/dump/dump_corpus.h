/*
 * dump_corpus.h - a prepared corpus: NAME.f32 (raw little-endian float32,
 * 48 kHz mono, pieces concatenated; memory-mapped read-only, so parallel
 * dump processes share the page cache) and NAME.tsv (header, then one line
 * per piece: offset, length in samples, speaker, source, bandwidth_hz,
 * licence) as written by scripts/data/prepare.py.
 */
#ifndef DUMP_CORPUS_H
#define DUMP_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "dump_rng.h"

typedef struct {
  int64_t offset;       /* first sample in the .f32 file */
  int64_t length;       /* samples */
  int speaker;          /* index of the (speaker, source) group; -1 when none (noise) */
  float bandwidth_hz;   /* measured bandwidth of the piece */
} CorpusPiece;

typedef struct {
  const float *samples; /* mapped .f32 data */
  int64_t n_samples;
  size_t map_bytes;
  CorpusPiece *pieces;
  int n_pieces;
  int n_speakers;
  int64_t total;        /* samples in all pieces */
  int64_t *cum;         /* cum[i] = pick weight of pieces [0, i) (corpus_pick) */
  int *by_speaker;      /* piece indices grouped by speaker */
  int *speaker_start;   /* speaker s owns by_speaker[speaker_start[s] .. speaker_start[s + 1]) */
} Corpus;

/* Loads PATH.f32 and PATH.tsv (path given without extension). Returns 0, or
 * -1 after printing the reason to stderr. */
int corpus_open(Corpus *c, const char *path);
void corpus_close(Corpus *c);
/* A piece drawn with probability proportional to its length, times
 * `boost` for pieces whose bandwidth is at least boost_min_hz (set by
 * corpus_weight; 1 by default). */
int corpus_pick(const Corpus *c, DumpRng *r);
/* Re-weights corpus_pick: pieces with bandwidth >= min_hz count boost
 * (>= 1) times their length. */
void corpus_weight(Corpus *c, double min_hz, double boost);
/* A piece of speaker spk (uniform), or corpus_pick when spk < 0. */
int corpus_pick_speaker(const Corpus *c, DumpRng *r, int spk);
/* Total hours of audio. */
double corpus_hours(const Corpus *c);

#endif
