/*
 * md5.c - RFC 1321 MD5, written from the RFC's description: 512-bit blocks of
 * little-endian 32-bit words, four rounds of 16 steps each, padding with 0x80,
 * zeros and the 64-bit bit length.
 */
#include "md5.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* Left-rotate amounts per round and step (RFC 1321 3.4). */
static const unsigned char shift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20},
                                          {4, 11, 16, 23}, {6, 10, 15, 21}};

void md5_init(Md5 *m) {
  int i;
  m->h[0] = 0x67452301u;
  m->h[1] = 0xefcdab89u;
  m->h[2] = 0x98badcfeu;
  m->h[3] = 0x10325476u;
  /* double sin is correct to < 1e-15 relative; no table entry has a
   * fractional part that close to an integer (checked by the RFC test
   * vectors in test/cli). */
  for (i = 0; i < 64; i++) m->k[i] = (uint32_t)floor(4294967296.0 * fabs(sin((double)(i + 1))));
  m->length = 0;
  m->fill = 0;
}

static uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32u - n)); }

static void transform(Md5 *m, const unsigned char *p) {
  uint32_t x[16], a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
  int i;
  for (i = 0; i < 16; i++)
    x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
           (uint32_t)p[4 * i + 3] << 24;
  for (i = 0; i < 64; i++) {
    uint32_t f, t;
    int g, round = i / 16;
    switch (round) {
      case 0: f = (b & c) | (~b & d); g = i; break;
      case 1: f = (b & d) | (c & ~d); g = (5 * i + 1) & 15; break;
      case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15; break;
      default: f = c ^ (b | ~d); g = (7 * i) & 15; break;
    }
    t = d;
    d = c;
    c = b;
    b = b + rotl(a + f + m->k[i] + x[g], shift[round][i & 3]);
    a = t;
  }
  m->h[0] += a;
  m->h[1] += b;
  m->h[2] += c;
  m->h[3] += d;
}

void md5_update(Md5 *m, const void *data, size_t len) {
  const unsigned char *p = data;
  m->length += len;
  if (m->fill) {
    size_t take = 64 - m->fill < len ? 64 - m->fill : len;
    memcpy(m->block + m->fill, p, take);
    m->fill += take;
    p += take;
    len -= take;
    if (m->fill < 64) return;
    transform(m, m->block);
    m->fill = 0;
  }
  for (; len >= 64; len -= 64, p += 64) transform(m, p);
  assert(len < 64);
  memcpy(m->block, p, len);
  m->fill = len;
}

void md5_final(Md5 *m, unsigned char digest[16], char hex[33]) {
  static const char digits[] = "0123456789abcdef";
  uint64_t bits = m->length * 8u;
  unsigned char pad[72];
  size_t npad = (m->fill < 56 ? 56 - m->fill : 120 - m->fill);
  int i;
  memset(pad, 0, sizeof pad);
  pad[0] = 0x80;
  for (i = 0; i < 8; i++) pad[npad + (size_t)i] = (unsigned char)(bits >> (8 * i));
  md5_update(m, pad, npad + 8);
  assert(m->fill == 0);
  for (i = 0; i < 16; i++) digest[i] = (unsigned char)(m->h[i / 4] >> (8 * (i % 4)));
  if (hex) {
    for (i = 0; i < 16; i++) {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[32] = '\0';
  }
}
