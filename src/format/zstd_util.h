/* zstd_util.h -- checked zstd frame decoding. */
#ifndef RAGC_ZSTD_UTIL_H
#define RAGC_ZSTD_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

/* Decompresses one frame that must yield exactly want bytes into a new
   malloc'ed buffer (*out; one spare byte is allocated).  Returns 0 or a
   RAGC_ERR_* status.  dctx may be NULL (a temporary context is used). */
int rg_zstd_exact(ZSTD_DCtx *dctx, const uint8_t *src, size_t len, size_t want, uint8_t **out);

/* Decompresses one frame of at most max bytes; *out_len gets the size. */
int rg_zstd_bounded(ZSTD_DCtx *dctx, const uint8_t *src, size_t len, size_t max,
                    uint8_t **out, size_t *out_len);

#endif
