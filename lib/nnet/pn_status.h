/*
 * pn_status.h - status codes of the inference engine: 0 for success, a
 * negative code for the first problem found. The library's public codes
 * (lib/percepnet.h) are defined equal to these; lib/percepnet_model.c
 * asserts it.
 */
#ifndef PN_STATUS_H
#define PN_STATUS_H

enum {
  PN_OK = 0,
  PN_ERR_ALLOC = -1,   /* out of memory */
  PN_ERR_BAD_ARG = -2, /* NULL pointer or value out of range */
  PN_ERR_IO = -3,      /* model file cannot be opened or read */
  PN_ERR_FORMAT = -4,  /* bad magic, version, size, offset, checksum */
  PN_ERR_VALUE = -5,   /* NaN/Inf or out-of-range value in a model */
  PN_ERR_SHAPE = -6,   /* layer sizes do not fit the network */
  PN_ERR_CPU = -7      /* instruction set not available on this machine */
};

#endif
