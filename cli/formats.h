/*
 * formats.h - containers and sample formats: names users type (-t, file
 * extensions) to libsndfile format codes and back, and the choice of the
 * output's sample format from the input's and -b/-e.
 */
#ifndef CLI_FORMATS_H
#define CLI_FORMATS_H

#include <stddef.h>

/* How output samples are handed to libsndfile. */
enum {
  SAMPLES_INT = 0,   /* integer PCM: quantised here to `bits`, written with sf_writef_int */
  SAMPLES_FLOAT = 1, /* 32-bit float */
  SAMPLES_DOUBLE = 2,/* 64-bit float */
  SAMPLES_CODEC = 3  /* lossy or companded codec: floats handed to the encoder */
};

/* Major format (SF_FORMAT_WAV, ...) and, for "ogg"/"opus"/"mp3", the codec
 * subtype in *codec (0 otherwise) for a container name; 0 if unknown. */
int format_from_name(const char *name, int *codec);

/* Same from the extension of path ("x.flac"); 0 without a known one. */
int format_from_path(const char *path, int *codec);

/* Usual extension for a format (major | subtype): "wav", "opus", ... */
const char *format_extension(int format);

/* Short name of a full format for messages: "FLAC PCM_24". */
void format_describe(int format, char *buf, size_t len);

/* Chooses the output format (major | subtype). in_format: the input's;
 * major/codec: the output container (major 0 = the input's); bits/encoding:
 * -b/-e (0 = unset). A companded or ADPCM input (mu-law, A-law, IMA/MS
 * ADPCM, GSM 6.10) keeps its subtype where the container can hold it, else
 * becomes 16-bit PCM and note says so in one line (note is "" otherwise).
 * Returns 0, or -1 with a reason in err. */
int format_choose(int in_format, int major, int codec, int bits, int encoding,
                  int channels, int rate, int *out_format, char *note, size_t notelen,
                  char *err, size_t errlen);

/* How to write samples of a format; *bits = integer bits (8..32) for SAMPLES_INT. */
int format_sample_kind(int format, int *bits);

#endif
