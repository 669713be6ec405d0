/*
 * test_model_load.c - the model loader: the shipped model file loads to the
 * very same model as the one compiled in (same id, same packed arrays); a
 * corpus of malformed files, generated here from the shipped one, each gives
 * the expected error code, never a crash; SHA-256 against FIPS 180-4 vectors.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percepnet.h"
#include "pn_linear_equal.h"
#include "pn_model.h"
#include "pn_model_file.h"
#include "pn_sha256.h"
#include "testutil.h"

#define MODEL_PATH "weights/default_model.pnm"

static uint8_t *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    long n = ftell(f);
    if (n > 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) != NULL) {
      if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
      } else {
        *len = (size_t)n;
      }
    }
  }
  fclose(f);
  return buf;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void fix_checksum(uint8_t *buf, size_t len) {
  put64(buf + len - 8, pn_fnv1a64(buf, len - 8));
}

/* Directory entry of the tensor called name. */
static uint8_t *entry(uint8_t *buf, const char *name) {
  uint32_t n = pn_le32(buf + 12);
  for (uint32_t i = 0; i < n; i++) {
    uint8_t *e = buf + PN_FILE_HEADER_SIZE + (size_t)i * PN_FILE_ENTRY_SIZE;
    if (strncmp((const char *)e, name, PN_FILE_NAME_SIZE) == 0) return e;
  }
  return NULL;
}
static uint8_t *data_of(uint8_t *buf, const char *name) {
  uint8_t *e = entry(buf, name);
  return e ? buf + pn_le64(e + 64) : NULL;
}

typedef void (*Mutation)(uint8_t *buf, size_t *len);

static void m_magic(uint8_t *b, size_t *l) { b[0] = 'X'; (void)l; }
static void m_version(uint8_t *b, size_t *l) { put32(b + 8, PN_FILE_VERSION + 1u); fix_checksum(b, *l); }
/* a version 1 file (absolute-level features) with a valid checksum */
static void m_version1(uint8_t *b, size_t *l) { put32(b + 8, 1); fix_checksum(b, *l); }
static void m_checksum(uint8_t *b, size_t *l) {
  size_t n = *l; /* length kept; one data bit flipped, checksum not repaired */
  b[n / 2] ^= 0x10;
  *l = n;
}
static void m_size_field(uint8_t *b, size_t *l) { put64(b + 16, *l + 16); fix_checksum(b, *l); }
static void m_count_zero(uint8_t *b, size_t *l) { put32(b + 12, 0); fix_checksum(b, *l); }
static void m_count_huge(uint8_t *b, size_t *l) { put32(b + 12, 100000); fix_checksum(b, *l); }
static void m_dir_offset(uint8_t *b, size_t *l) { put32(b + 24, 64); fix_checksum(b, *l); }
static void m_reserved(uint8_t *b, size_t *l) { put32(b + 28, 1); fix_checksum(b, *l); }
static void m_trunc_1(uint8_t *b, size_t *l) { (void)b; *l -= 1; }
static void m_trunc_half(uint8_t *b, size_t *l) { (void)b; *l /= 2; }
static void m_trunc_header(uint8_t *b, size_t *l) { (void)b; *l = 20; }
static void m_trunc_dir(uint8_t *b, size_t *l) {
  *l = 32 + 80 * 3 + 8; /* consistent size field, directory cut short */
  put64(b + 16, *l);
  fix_checksum(b, *l);
}
static void m_empty(uint8_t *b, size_t *l) { (void)b; *l = 0; }
static void m_nan(uint8_t *b, size_t *l) {
  float f = NAN;
  memcpy(data_of(b, "conv1.weight") + 40, &f, 4);
  fix_checksum(b, *l);
}
static void m_inf(uint8_t *b, size_t *l) {
  float f = -INFINITY;
  memcpy(data_of(b, "dense_g.bias"), &f, 4);
  fix_checksum(b, *l);
}
static void m_nan_scale(uint8_t *b, size_t *l) {
  float f = NAN;
  memcpy(data_of(b, "gru1.weight_hh_l0.scale") + 8, &f, 4);
  fix_checksum(b, *l);
}
static void m_zero_scale(uint8_t *b, size_t *l) {
  float f = 0.0f;
  memcpy(data_of(b, "gru2.weight_ih_l0.scale"), &f, 4);
  fix_checksum(b, *l);
}
static void m_neg_scale(uint8_t *b, size_t *l) {
  float f = -0.01f;
  memcpy(data_of(b, "conv2.weight.scale") + 4, &f, 4);
  fix_checksum(b, *l);
}
static void m_int8_min(uint8_t *b, size_t *l) {
  data_of(b, "gru1.weight_ih_l0")[7] = 0x80;
  fix_checksum(b, *l);
}
static void m_pair_rule(uint8_t *b, size_t *l) {
  uint8_t *d = data_of(b, "gru2.weight_hh_l0");
  d[10] = 100; /* columns 10 and 11 of row 0: 100 + 100 > 129 */
  d[11] = 100;
  fix_checksum(b, *l);
}
static void m_offset_past_end(uint8_t *b, size_t *l) {
  put64(entry(b, "dense_vad.bias") + 64, ((uint64_t)*l + 4096) & ~(uint64_t)15);
  fix_checksum(b, *l);
}
static void m_offset_huge(uint8_t *b, size_t *l) {
  put64(entry(b, "dense_vad.bias") + 64, UINT64_MAX - 15);
  fix_checksum(b, *l);
}
static void m_offset_misaligned(uint8_t *b, size_t *l) {
  uint8_t *e = entry(b, "conv2.bias");
  put64(e + 64, pn_le64(e + 64) + 4);
  fix_checksum(b, *l);
}
static void m_offset_into_dir(uint8_t *b, size_t *l) {
  put64(entry(b, "conv1.bias") + 64, 32);
  fix_checksum(b, *l);
}
static void m_overlap(uint8_t *b, size_t *l) {
  uint8_t *e = entry(b, "conv2.weight");
  put64(e + 64, pn_le64(entry(b, "conv1.bias") + 64));
  fix_checksum(b, *l);
}
static void m_nbytes(uint8_t *b, size_t *l) {
  uint8_t *e = entry(b, "conv1.bias");
  put64(e + 72, pn_le64(e + 72) - 4);
  fix_checksum(b, *l);
}
static void m_dim_zero(uint8_t *b, size_t *l) {
  put32(entry(b, "conv1.bias") + 48, 0);
  fix_checksum(b, *l);
}
static void m_dims_overflow(uint8_t *b, size_t *l) {
  uint8_t *e = entry(b, "conv1.weight");
  put32(e + 48, 1u << 20);
  put32(e + 52, 1u << 20);
  fix_checksum(b, *l);
}
static void m_unused_dim(uint8_t *b, size_t *l) {
  put32(entry(b, "conv1.bias") + 60, 3);
  fix_checksum(b, *l);
}
static void m_rank(uint8_t *b, size_t *l) {
  put32(entry(b, "conv1.bias") + 44, 5);
  fix_checksum(b, *l);
}
static void m_dtype(uint8_t *b, size_t *l) {
  put32(entry(b, "conv1.bias") + 40, 7);
  fix_checksum(b, *l);
}
static void m_name_unterminated(uint8_t *b, size_t *l) {
  memset(entry(b, "conv1.bias"), 'a', PN_FILE_NAME_SIZE);
  fix_checksum(b, *l);
}
static void m_name_char(uint8_t *b, size_t *l) {
  entry(b, "conv1.bias")[0] = 'C';
  fix_checksum(b, *l);
}
static void m_duplicate(uint8_t *b, size_t *l) {
  memcpy(entry(b, "dense_r.bias"), "dense_g.bias", 13);
  fix_checksum(b, *l);
}
static void m_missing(uint8_t *b, size_t *l) {
  memcpy(entry(b, "dense_r.bias"), "dense_q.bias", 13);
  fix_checksum(b, *l);
}
static void m_bias_type(uint8_t *b, size_t *l) {
  /* dense_vad.bias as int8 of 4 elements: consistent size, wrong shape */
  uint8_t *e = entry(b, "dense_vad.bias");
  put32(e + 40, PN_DTYPE_I8);
  put32(e + 48, 4);
  fix_checksum(b, *l);
}
static void m_shape_swap(uint8_t *b, size_t *l) {
  /* conv1.weight [C1, F, 3] relabelled [C1, 3, F]: same size, wrong shape */
  uint8_t *e = entry(b, "conv1.weight");
  const uint32_t features = pn_le32(e + 52);
  put32(e + 52, 3);
  put32(e + 56, features);
  fix_checksum(b, *l);
}
static void m_scale_dropped(uint8_t *b, size_t *l) {
  memcpy(entry(b, "conv2.weight.scale"), "conv2.weight.scalf", 19);
  fix_checksum(b, *l);
}
static void m_int8_conv1(uint8_t *b, size_t *l) {
  /* conv1.weight [C1, F, 3] claimed int8 (a quarter of its bytes) */
  uint8_t *e = entry(b, "conv1.weight");
  uint64_t n = pn_le64(e + 72) / 4;
  put32(e + 40, PN_DTYPE_I8);
  put64(e + 72, n);
  memset(b + pn_le64(e + 64), 1, n);
  fix_checksum(b, *l);
}

static const struct {
  const char *name;
  Mutation mutate;
  int expect;
} corpus[] = {
    {"bad magic", m_magic, PN_ERR_FORMAT},
    {"next version", m_version, PN_ERR_FORMAT},
    {"version 1", m_version1, PN_ERR_FORMAT},
    {"bad checksum", m_checksum, PN_ERR_FORMAT},
    {"size field larger than the file", m_size_field, PN_ERR_FORMAT},
    {"zero tensors", m_count_zero, PN_ERR_FORMAT},
    {"100000 tensors", m_count_huge, PN_ERR_FORMAT},
    {"directory offset 64", m_dir_offset, PN_ERR_FORMAT},
    {"reserved field set", m_reserved, PN_ERR_FORMAT},
    {"truncated by 1 byte", m_trunc_1, PN_ERR_FORMAT},
    {"truncated to half", m_trunc_half, PN_ERR_FORMAT},
    {"truncated inside the header", m_trunc_header, PN_ERR_FORMAT},
    {"directory cut short", m_trunc_dir, PN_ERR_FORMAT},
    {"empty file", m_empty, PN_ERR_FORMAT},
    {"NaN weight", m_nan, PN_ERR_VALUE},
    {"-Inf bias", m_inf, PN_ERR_VALUE},
    {"NaN scale", m_nan_scale, PN_ERR_VALUE},
    {"zero scale", m_zero_scale, PN_ERR_VALUE},
    {"negative scale", m_neg_scale, PN_ERR_VALUE},
    {"int8 -128", m_int8_min, PN_ERR_VALUE},
    {"int8 pair beyond 129", m_pair_rule, PN_ERR_VALUE},
    {"offset past the end", m_offset_past_end, PN_ERR_FORMAT},
    {"offset near 2^64", m_offset_huge, PN_ERR_FORMAT},
    {"offset misaligned", m_offset_misaligned, PN_ERR_FORMAT},
    {"offset into the directory", m_offset_into_dir, PN_ERR_FORMAT},
    {"overlapping tensors", m_overlap, PN_ERR_FORMAT},
    {"byte size not matching the shape", m_nbytes, PN_ERR_FORMAT},
    {"zero dimension", m_dim_zero, PN_ERR_FORMAT},
    {"element count overflow", m_dims_overflow, PN_ERR_FORMAT},
    {"unused dimension set", m_unused_dim, PN_ERR_FORMAT},
    {"rank 5", m_rank, PN_ERR_FORMAT},
    {"unknown type", m_dtype, PN_ERR_FORMAT},
    {"unterminated name", m_name_unterminated, PN_ERR_FORMAT},
    {"upper-case name", m_name_char, PN_ERR_FORMAT},
    {"duplicate name", m_duplicate, PN_ERR_FORMAT},
    {"missing tensor", m_missing, PN_ERR_SHAPE},
    {"bias of the wrong type and size", m_bias_type, PN_ERR_SHAPE},
    {"weight of the wrong shape", m_shape_swap, PN_ERR_SHAPE},
    {"int8 weight without its scale", m_scale_dropped, PN_ERR_SHAPE},
    {"int8 conv1", m_int8_conv1, PN_ERR_SHAPE},
};

static void test_sha256(void) {
  static const struct {
    const char *msg, *hex;
  } v[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint8_t d[32];
    char hex[65];
    pn_sha256((const uint8_t *)v[i].msg, strlen(v[i].msg), d);
    for (int j = 0; j < 32; j++) snprintf(hex + 2 * j, 3, "%02x", d[j]);
    CHECK(strcmp(hex, v[i].hex) == 0, "sha256 FIPS 180-4 vector", "\"%s\" gave %s", v[i].msg, hex);
  }
}

int main(void) {
  test_sha256();
  size_t len = 0;
  uint8_t *orig = read_all(MODEL_PATH, &len);
  CHECK(orig != NULL, "read " MODEL_PATH, "cannot read it (run from the source root)");
  if (!orig) return test_exit();

  PnModel *m = NULL;
  const char *why = NULL;
  int err = pn_model_load_file(MODEL_PATH, &m, &why);
  CHECK(err == PN_OK, "shipped model file loads", "error %d: %s", err, why ? why : "");
  if (err) return test_exit();
  const PnModel *d = &pn_default_model;
  CHECK(strcmp(m->id, d->id) == 0, "file and compiled-in model have the same id", "%s vs %s",
        m->id, d->id);
  CHECK(strlen(d->id) == 16 && strspn(d->id, "0123456789abcdef") == 16,
        "model id is 16 lowercase hex digits", "\"%s\"", d->id);
  const PnLinear *la[] = {&m->conv1, &m->conv2, &m->gru1_ih, &m->gru1_hh, &m->gru2_ih,
                          &m->gru2_hh, &m->dense_g, &m->dense_r, &m->dense_vad};
  const PnLinear *lb[] = {&d->conv1, &d->conv2, &d->gru1_ih, &d->gru1_hh, &d->gru2_ih,
                          &d->gru2_hh, &d->dense_g, &d->dense_r, &d->dense_vad};
  int same = m->conv1_size == d->conv1_size && m->hidden == d->hidden;
  for (int i = 0; i < 9; i++) same = same && pn_linear_equal(la[i], lb[i]);
  CHECK(same, "loaded arrays equal the generated C arrays", "a layer differs");
  pn_model_free(m);
  pn_model_free((PnModel *)d); /* must be ignored */
  pn_model_free(NULL);

  /* the public API on top: same model, same id */
  PercepnetModel *b = NULL;
  err = percepnet_model_load_buffer(orig, len, &b);
  CHECK(err == PERCEPNET_OK && b &&
            strcmp(percepnet_model_id(b), percepnet_model_id(percepnet_model_default())) == 0 &&
            strcmp(percepnet_model_id(b), d->id) == 0,
        "load from a buffer", "error %d", err);
  percepnet_model_free(b);
  percepnet_model_free((PercepnetModel *)percepnet_model_default()); /* must be ignored */
  percepnet_model_free(NULL);

  uint8_t *buf = malloc(len);
  if (!buf) return 1;
  for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
    size_t l = len;
    memcpy(buf, orig, len);
    corpus[i].mutate(buf, &l);
    PnModel *x = (PnModel *)buf; /* must be overwritten with NULL */
    why = NULL;
    /* a copy of exactly l bytes, so reading past the end is an ASan error */
    uint8_t *exact = malloc(l ? l : 1);
    if (!exact) return 1;
    memcpy(exact, buf, l);
    err = pn_model_from_buffer(exact, l, &x, &why);
    char name[128];
    snprintf(name, sizeof name, "malformed: %s", corpus[i].name);
    CHECK(err == corpus[i].expect && x == NULL, name, "got %d (%s), expected %d", err,
          why ? why : "no reason", corpus[i].expect);
    if (why) printf("# %s: %s\n", corpus[i].name, why);
    if (!err) pn_model_free(x);
    free(exact);
  }

  /* Random corruption with a repaired checksum: any error code or success,
   * never a crash (meaningful under ASan/valgrind: make check-mem). */
  uint32_t rng = 2024u;
  int crashes_impossible = 1, rejected = 0;
  for (int it = 0; it < 300; it++) {
    memcpy(buf, orig, len);
    int n = 1 + it % 8;
    for (int k = 0; k < n; k++) {
      rng = rng * 1664525u + 1013904223u;
      size_t pos = (it % 2) ? (rng >> 8) % (PN_FILE_HEADER_SIZE + 80 * 30) : (rng >> 8) % (len - 8);
      buf[pos] ^= (uint8_t)(1u << (rng % 8));
    }
    fix_checksum(buf, len);
    PercepnetModel *x = NULL;
    err = percepnet_model_load_buffer(buf, len, &x);
    if (err) {
      rejected++;
      if (x) crashes_impossible = 0;
    } else {
      if (!x) crashes_impossible = 0;
      percepnet_model_free(x);
    }
  }
  CHECK(crashes_impossible, "300 random corruptions handled", "inconsistent result pointer");
  printf("# %d of 300 random corruptions rejected\n", rejected);

  PercepnetModel *pm = NULL;
  err = percepnet_model_load_file("/nonexistent/model.pnm", &pm);
  CHECK(err == PERCEPNET_ERR_MODEL_IO, "missing file is an I/O error", "got %d", err);
  const char *detail = NULL;
  err = percepnet_model_load_file_detail("/nonexistent/model.pnm", &pm, &detail);
  CHECK(err == PERCEPNET_ERR_MODEL_IO && detail && strlen(detail) > 0,
        "load_file_detail explains a failure", "err %d, detail \"%s\"", err, detail ? detail : "(null)");
  err = percepnet_model_load_file_detail(MODEL_PATH, &pm, &detail);
  CHECK(err == PERCEPNET_OK && detail && detail[0] == 0, "load_file_detail: empty detail on success",
        "err %d, detail \"%s\"", err, detail ? detail : "(null)");
  if (!err) percepnet_model_free(pm);
  err = percepnet_model_load_file("weights", &pm);
  CHECK(err == PERCEPNET_ERR_MODEL_IO || err == PERCEPNET_ERR_MODEL_FORMAT,
        "a directory is refused", "got %d", err);
  CHECK(percepnet_model_load_buffer(NULL, 10, &pm) == PERCEPNET_ERR_BAD_ARG, "NULL buffer refused",
        "not PERCEPNET_ERR_BAD_ARG");
  free(buf);
  free(orig);
  return test_exit();
}
