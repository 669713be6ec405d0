/*
 * formats.c - container names and sample-format choice.
 */
#include "formats.h"

#include "options.h"

#include <sndfile.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct {
  const char *name;  /* as typed after -t or as an extension */
  int major;
  int codec;         /* forced subtype, 0 = any */
  const char *ext;   /* canonical extension */
} Container;

static const Container containers[] = {
    {"wav", SF_FORMAT_WAV, 0, "wav"},
    {"wave", SF_FORMAT_WAV, 0, "wav"},
    {"flac", SF_FORMAT_FLAC, 0, "flac"},
    {"ogg", SF_FORMAT_OGG, SF_FORMAT_VORBIS, "ogg"},
    {"oga", SF_FORMAT_OGG, SF_FORMAT_VORBIS, "ogg"},
    {"vorbis", SF_FORMAT_OGG, SF_FORMAT_VORBIS, "ogg"},
    {"opus", SF_FORMAT_OGG, SF_FORMAT_OPUS, "opus"},
    {"mp3", SF_FORMAT_MPEG, SF_FORMAT_MPEG_LAYER_III, "mp3"},
    {"aiff", SF_FORMAT_AIFF, 0, "aiff"},
    {"aif", SF_FORMAT_AIFF, 0, "aiff"},
    {"aifc", SF_FORMAT_AIFF, 0, "aiff"},
    {"au", SF_FORMAT_AU, 0, "au"},
    {"snd", SF_FORMAT_AU, 0, "au"},
    {"caf", SF_FORMAT_CAF, 0, "caf"},
    {"w64", SF_FORMAT_W64, 0, "w64"},
    {"rf64", SF_FORMAT_RF64, 0, "rf64"},
    {"raw", SF_FORMAT_RAW, 0, "raw"},
    {"pcm", SF_FORMAT_RAW, 0, "raw"},
};
#define N_CONTAINERS (sizeof containers / sizeof containers[0])

int format_from_name(const char *name, int *codec) {
  size_t i;
  *codec = 0;
  for (i = 0; i < N_CONTAINERS; i++) {
    if (!strcasecmp(name, containers[i].name)) {
      *codec = containers[i].codec;
      return containers[i].major;
    }
  }
  return 0;
}

int format_from_path(const char *path, int *codec) {
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(path, '.');
  *codec = 0;
  if (!dot || (slash && dot < slash) || dot == path || (slash && dot == slash + 1)) return 0;
  return format_from_name(dot + 1, codec);
}

const char *format_extension(int format) {
  int major = format & SF_FORMAT_TYPEMASK, sub = format & SF_FORMAT_SUBMASK;
  size_t i;
  if (major == SF_FORMAT_OGG) return sub == SF_FORMAT_OPUS ? "opus" : "ogg";
  for (i = 0; i < N_CONTAINERS; i++)
    if (containers[i].major == major) return containers[i].ext;
  return "wav";
}

void format_describe(int format, char *buf, size_t len) {
  SF_FORMAT_INFO maj = {0}, sub = {0};
  maj.format = format & SF_FORMAT_TYPEMASK;
  sub.format = format & SF_FORMAT_SUBMASK;
  if (sf_command(NULL, SFC_GET_FORMAT_INFO, &maj, sizeof maj) != 0) maj.name = "?";
  if (sf_command(NULL, SFC_GET_FORMAT_INFO, &sub, sizeof sub) != 0) sub.name = "?";
  snprintf(buf, len, "%s, %s", maj.name, sub.name);
}

int format_sample_kind(int format, int *bits) {
  *bits = 0;
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8: *bits = 8; return SAMPLES_INT;
    case SF_FORMAT_PCM_16: *bits = 16; return SAMPLES_INT;
    case SF_FORMAT_PCM_24: *bits = 24; return SAMPLES_INT;
    case SF_FORMAT_PCM_32: *bits = 32; return SAMPLES_INT;
    case SF_FORMAT_FLOAT: return SAMPLES_FLOAT;
    case SF_FORMAT_DOUBLE: return SAMPLES_DOUBLE;
    default: return SAMPLES_CODEC;
  }
}

static int valid(int format, int channels, int rate) {
  SF_INFO info;
  memset(&info, 0, sizeof info);
  info.format = format;
  info.channels = channels;
  info.samplerate = rate;
  return sf_format_check(&info);
}

/* Companded and ADPCM subtypes: kept from input to output where the
 * container can hold them (they are what the file's consumer expects). */
static int is_companded(int sub) {
  return sub == SF_FORMAT_ULAW || sub == SF_FORMAT_ALAW || sub == SF_FORMAT_IMA_ADPCM ||
         sub == SF_FORMAT_MS_ADPCM || sub == SF_FORMAT_GSM610;
}

/* Subtype for explicit -b/-e. */
static int subtype_for(int bits, int encoding, int in_kind) {
  switch (encoding) {
    case ENCODING_MU_LAW: return SF_FORMAT_ULAW;
    case ENCODING_A_LAW: return SF_FORMAT_ALAW;
    case ENCODING_IMA_ADPCM: return SF_FORMAT_IMA_ADPCM;
    case ENCODING_MS_ADPCM: return SF_FORMAT_MS_ADPCM;
    case ENCODING_GSM: return SF_FORMAT_GSM610;
    default: break;
  }
  if (encoding == ENCODING_DEFAULT)
    encoding = (in_kind == SAMPLES_FLOAT || in_kind == SAMPLES_DOUBLE) && bits >= 32
                   ? ENCODING_FLOAT : ENCODING_SIGNED;
  if (encoding == ENCODING_FLOAT) return bits == 64 ? SF_FORMAT_DOUBLE : SF_FORMAT_FLOAT;
  switch (bits) {
    case 8: return SF_FORMAT_PCM_S8;
    case 16: return SF_FORMAT_PCM_16;
    case 32: return SF_FORMAT_PCM_32;
    default: return SF_FORMAT_PCM_24;
  }
}

int format_choose(int in_format, int major, int codec, int bits, int encoding,
                  int channels, int rate, int *out_format, char *note, size_t notelen,
                  char *err, size_t errlen) {
  int in_major = in_format & SF_FORMAT_TYPEMASK, in_sub = in_format & SF_FORMAT_SUBMASK;
  int in_bits, in_kind = format_sample_kind(in_format, &in_bits);
  int sub, f;
  if (notelen) note[0] = '\0';
  if (!major) {
    major = in_major;
    if (major == SF_FORMAT_OGG || major == SF_FORMAT_MPEG) codec = in_sub;
  }
  if (codec) {
    if (bits || encoding) {
      snprintf(err, errlen, "-b/-e do not apply to a lossy codec");
      return -1;
    }
    sub = codec;
  } else if (bits || encoding) {
    if (!bits && encoding == ENCODING_SIGNED) bits = in_kind == SAMPLES_INT ? in_bits : 24;
    if (!bits) bits = 32;
    sub = subtype_for(bits, encoding, in_kind);
  } else if (in_kind != SAMPLES_CODEC && valid(major | in_sub, channels, rate)) {
    sub = in_sub;
  } else if (is_companded(in_sub) && valid(major | in_sub, channels, rate)) {
    sub = in_sub;
  } else if (is_companded(in_sub) && valid(major | SF_FORMAT_PCM_16, channels, rate)) {
    /* 16-bit PCM holds everything these codecs carry (at most 14 bits of
     * dynamic range for mu-law, 16-bit sources for ADPCM and GSM) */
    SF_FORMAT_INFO maj = {0}, sub_info = {0};
    maj.format = major;
    sub_info.format = in_sub;
    if (sf_command(NULL, SFC_GET_FORMAT_INFO, &maj, sizeof maj) != 0) maj.name = "?";
    if (sf_command(NULL, SFC_GET_FORMAT_INFO, &sub_info, sizeof sub_info) != 0) sub_info.name = "?";
    snprintf(note, notelen, "%s cannot hold %s: writing 16-bit PCM", maj.name, sub_info.name);
    sub = SF_FORMAT_PCM_16;
  } else {
    /* A lossy input into a lossless container: 24-bit keeps the denoiser's
     * output far above the codec's own noise. */
    static const int fallback[] = {SF_FORMAT_PCM_24, SF_FORMAT_PCM_16, SF_FORMAT_FLOAT};
    size_t i;
    sub = 0;
    for (i = 0; i < 3 && !sub; i++)
      if (valid(major | fallback[i], channels, rate)) sub = fallback[i];
    if (!sub) sub = in_sub;
  }
  f = major | sub;
  /* WAV holds 8-bit samples unsigned, most others signed. */
  if (!valid(f, channels, rate) && sub == SF_FORMAT_PCM_S8 && valid(major | SF_FORMAT_PCM_U8, channels, rate))
    f = major | SF_FORMAT_PCM_U8;
  if (!valid(f, channels, rate)) {
    char desc[96];
    format_describe(f, desc, sizeof desc);
    snprintf(err, errlen, "cannot write %s with %d channel%s at %d Hz", desc, channels,
             channels > 1 ? "s" : "", rate);
    return -1;
  }
  *out_format = f;
  return 0;
}
