/* pn_sha256.h - SHA-256 (FIPS 180-4) of a buffer, for model ids. */
#ifndef PN_SHA256_H
#define PN_SHA256_H

#include <stddef.h>
#include <stdint.h>

void pn_sha256(const uint8_t *data, size_t len, uint8_t digest[32]);

#endif
