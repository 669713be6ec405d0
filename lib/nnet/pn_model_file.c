/*
 * pn_model_file.c - model file parsing with full validation: every size,
 * offset and value is checked before anything is read from it, so a
 * malformed or hostile file gives an error code, never an out-of-bounds read.
 */
#include "pn_model_file.h"

#include <math.h>
#include <string.h>

#include "pn_status.h"

uint32_t pn_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

uint64_t pn_le64(const uint8_t *p) {
  return (uint64_t)pn_le32(p) | (uint64_t)pn_le32(p + 4) << 32;
}

float pn_le_f32(const uint8_t *p) {
  uint32_t u = pn_le32(p);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

uint64_t pn_fnv1a64(const uint8_t *p, size_t len) {
  uint64_t h = 0xcbf29ce484222325u; /* FNV-1a 64 offset basis */
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001b3u; /* FNV 64 prime */
  }
  return h;
}

static int fail(const char **why, const char *msg, int code) {
  if (why) *why = msg;
  return code;
}

static int valid_name(const uint8_t *field) {
  size_t n = 0;
  while (n < PN_FILE_NAME_SIZE && field[n]) n++;
  if (n == 0 || n == PN_FILE_NAME_SIZE) return 0; /* empty or unterminated */
  for (size_t i = 0; i < n; i++) {
    uint8_t c = field[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
      return 0;
  }
  for (size_t i = n; i < PN_FILE_NAME_SIZE; i++)
    if (field[i]) return 0; /* padding must be zero */
  return 1;
}

static int parse_entry(const uint8_t *buf, size_t data_begin, size_t data_end,
                       const uint8_t *e, size_t *prev_end, PnTensor *t,
                       const char **why) {
  if (!valid_name(e)) return fail(why, "tensor name not NUL-terminated [a-z0-9_.]", PN_ERR_FORMAT);
  memcpy(t->name, e, PN_FILE_NAME_SIZE);
  uint32_t dtype = pn_le32(e + 40), ndim = pn_le32(e + 44);
  if (dtype != PN_DTYPE_F32 && dtype != PN_DTYPE_I8)
    return fail(why, "unknown tensor type", PN_ERR_FORMAT);
  if (ndim < 1 || ndim > PN_FILE_MAX_DIM)
    return fail(why, "tensor rank out of 1..4", PN_ERR_FORMAT);
  uint64_t count = 1;
  for (uint32_t i = 0; i < PN_FILE_MAX_DIM; i++) {
    uint32_t d = pn_le32(e + 48 + 4 * i);
    if (i < ndim) {
      if (d < 1 || d > PN_FILE_MAX_ELEMS)
        return fail(why, "tensor dimension out of range", PN_ERR_FORMAT);
      count *= d;
      if (count > PN_FILE_MAX_ELEMS)
        return fail(why, "tensor too large", PN_ERR_FORMAT);
    } else if (d != 0) {
      return fail(why, "unused tensor dimension not zero", PN_ERR_FORMAT);
    }
    t->dims[i] = (int)d;
  }
  t->dtype = (int)dtype;
  t->ndim = (int)ndim;
  t->count = (size_t)count;
  uint64_t off = pn_le64(e + 64), nbytes = pn_le64(e + 72);
  uint64_t esize = dtype == PN_DTYPE_F32 ? 4 : 1;
  if (nbytes != count * esize)
    return fail(why, "tensor byte size does not match its shape", PN_ERR_FORMAT);
  if (off % PN_FILE_ALIGN != 0)
    return fail(why, "tensor offset not a multiple of 16", PN_ERR_FORMAT);
  if (off < data_begin || off < *prev_end || off > data_end || nbytes > data_end - off)
    return fail(why, "tensor offset outside the data area or overlapping", PN_ERR_FORMAT);
  *prev_end = (size_t)(off + nbytes);
  t->data = buf + off;
  if (dtype == PN_DTYPE_F32) {
    for (size_t i = 0; i < t->count; i++)
      if (!isfinite(pn_le_f32(t->data + 4 * i)))
        return fail(why, "NaN or infinity in a float tensor", PN_ERR_VALUE);
  } else {
    for (size_t i = 0; i < t->count; i++)
      if ((int8_t)t->data[i] == -128)
        return fail(why, "int8 weight -128 (allowed: -127..127)", PN_ERR_VALUE);
  }
  return PN_OK;
}

int pn_file_parse(const uint8_t *buf, size_t len, PnTensorList *out,
                  const char **why) {
  if (!buf || !out) return fail(why, "NULL argument", PN_ERR_BAD_ARG);
  out->n = 0;
  if (len < PN_FILE_HEADER_SIZE + PN_FILE_TRAILER_SIZE)
    return fail(why, "file shorter than header and checksum", PN_ERR_FORMAT);
  if (memcmp(buf, PN_FILE_MAGIC, 8) != 0)
    return fail(why, "bad magic (not a percepnet model file)", PN_ERR_FORMAT);
  if (pn_le32(buf + 8) == 1u)
    return fail(why,
                "format version 1: trained for the absolute-level features of older "
                "percepnet releases, retrain it",
                PN_ERR_FORMAT);
  if (pn_le32(buf + 8) != PN_FILE_VERSION)
    return fail(why, "unsupported format version", PN_ERR_FORMAT);
  uint32_t n = pn_le32(buf + 12);
  uint64_t size = pn_le64(buf + 16);
  if (size != len)
    return fail(why, "file size field does not match the length (truncated?)", PN_ERR_FORMAT);
  if (pn_le32(buf + 24) != PN_FILE_HEADER_SIZE || pn_le32(buf + 28) != 0)
    return fail(why, "bad directory offset or reserved field", PN_ERR_FORMAT);
  if (n < 1 || n > PN_FILE_MAX_TENSORS)
    return fail(why, "tensor count out of 1..64", PN_ERR_FORMAT);
  size_t data_begin = PN_FILE_HEADER_SIZE + (size_t)n * PN_FILE_ENTRY_SIZE;
  if (data_begin > len - PN_FILE_TRAILER_SIZE)
    return fail(why, "directory runs past the end of the file", PN_ERR_FORMAT);
  size_t data_end = len - PN_FILE_TRAILER_SIZE;
  if (pn_fnv1a64(buf, data_end) != pn_le64(buf + data_end))
    return fail(why, "checksum mismatch (corrupted file)", PN_ERR_FORMAT);
  size_t prev_end = data_begin;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *e = buf + PN_FILE_HEADER_SIZE + (size_t)i * PN_FILE_ENTRY_SIZE;
    int err = parse_entry(buf, data_begin, data_end, e, &prev_end, &out->t[i], why);
    if (err) return err;
    for (uint32_t j = 0; j < i; j++)
      if (strcmp(out->t[j].name, out->t[i].name) == 0)
        return fail(why, "duplicate tensor name", PN_ERR_FORMAT);
    out->n = i + 1;
  }
  return PN_OK;
}
