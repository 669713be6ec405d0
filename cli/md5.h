/*
 * md5.h - MD5 message digest (RFC 1321), for --md5: the hash of the output
 * PCM, the way flac stores one for its decoded samples.
 */
#ifndef CLI_MD5_H
#define CLI_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t h[4];           /* A, B, C, D */
  uint32_t k[64];          /* T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 3.4 */
  uint64_t length;         /* bytes hashed so far */
  unsigned char block[64]; /* pending bytes of the current 512-bit block */
  size_t fill;             /* bytes in block, 0..63 */
} Md5;

void md5_init(Md5 *m);
void md5_update(Md5 *m, const void *data, size_t len);
/* Writes 16 bytes of digest and, if hex != NULL, 32 lowercase hex digits + NUL. */
void md5_final(Md5 *m, unsigned char digest[16], char hex[33]);

#endif
