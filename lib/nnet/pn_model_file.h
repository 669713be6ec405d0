/*
 * pn_model_file.h - parsing and validation of the model file format
 * (weights/FORMAT.md, version 2, little-endian), independent of the network.
 */
#ifndef PN_MODEL_FILE_H
#define PN_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>

#define PN_FILE_MAGIC "PNETMODL" /* 8 bytes, no terminator in the file */
/* 2: the network reads level-relative band energies (lib/dsp/net_features.h);
 * version 1 files were trained on absolute ones and are refused. */
#define PN_FILE_VERSION 2u
#define PN_FILE_HEADER_SIZE 32u  /* bytes */
#define PN_FILE_ENTRY_SIZE 80u   /* bytes per directory entry */
#define PN_FILE_NAME_SIZE 40u    /* name field, NUL-padded */
#define PN_FILE_TRAILER_SIZE 8u  /* FNV-1a 64 checksum */
#define PN_FILE_ALIGN 16u        /* tensor data offsets are multiples of this */
#define PN_FILE_MAX_TENSORS 64u
#define PN_FILE_MAX_DIM 4u
#define PN_FILE_MAX_ELEMS (1u << 24) /* per tensor */

enum { PN_DTYPE_F32 = 1, PN_DTYPE_I8 = 2 };

typedef struct {
  char name[PN_FILE_NAME_SIZE]; /* NUL-terminated */
  int dtype;                    /* PN_DTYPE_* */
  int ndim;                     /* 1..PN_FILE_MAX_DIM */
  int dims[PN_FILE_MAX_DIM];    /* dims[i] >= 1 for i < ndim, else 0 */
  size_t count;                 /* product of dims */
  const uint8_t *data;          /* count elements inside the parsed buffer */
} PnTensor;

typedef struct {
  unsigned n;
  PnTensor t[PN_FILE_MAX_TENSORS];
} PnTensorList;

/* Parses and validates buf (len bytes): header, directory, offsets, checksum,
 * values (f32 finite, i8 in -127..127). Returns PN_OK,
 * PN_ERR_FORMAT or PN_ERR_VALUE; *why (if not
 * NULL) receives a one-line static description of the first problem. */
int pn_file_parse(const uint8_t *buf, size_t len, PnTensorList *out,
                  const char **why);

/* Little-endian readers (any alignment). */
uint32_t pn_le32(const uint8_t *p);
uint64_t pn_le64(const uint8_t *p);
float pn_le_f32(const uint8_t *p);

/* FNV-1a 64 of len bytes (the file checksum). */
uint64_t pn_fnv1a64(const uint8_t *p, size_t len);

#endif
